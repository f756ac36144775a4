"""Pure engines of the buyers app (Polars, no Django): the return-visit schedule and the
response times a buyer received."""
