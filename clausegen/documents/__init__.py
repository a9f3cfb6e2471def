"""Documents: composition of each finished document (context, fragments cited, manifest) in
French. Imports every step before it; never ``render`` or ``cli``, nor a rendering library."""
