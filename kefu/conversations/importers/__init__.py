"""Pure chat-record parsers (no Django): each reads a binary stream and yields `ChatRow`s; a bad
file raises `ParseError` naming the file and line. The Django service stores the rows in bulk."""
