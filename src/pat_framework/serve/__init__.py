"""`pat serve`: a small web application where respondents answer in a browser.

`schema` and `migrations` define the database, `storage` reads and writes it (`prepared`
runs the statements of every answer on the driver itself), `keys` makes tokens and room
codes and what is stored of them, `app` is the Starlette application with its
`templates` and `static` files, `security` the headers, CSRF, cookies, size limits and
rate limits, `collections` opens a collection from an
instrument or a workshop file, `export` reads a collection as pat's answer layouts, and
`launch` starts uvicorn.
"""
