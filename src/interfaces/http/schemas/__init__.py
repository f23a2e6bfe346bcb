"""Wire schemas: msgspec Structs for request and response bodies."""
