"""Writing results for people and tools: numbers and missing values as text, score formats."""
