"""`pat take`'s questionnaire in the terminal and the answer file it saves after each answer."""
