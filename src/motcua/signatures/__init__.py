"""Digital signatures (PAdES) on results and legal forms, electronic results and their public
verification (issue 14 §1, docs/signatures.md)."""
