"""Runtime code of the generated packages, as real Python: tested here, copied verbatim by the targets."""
