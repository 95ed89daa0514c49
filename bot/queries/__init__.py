"""The read side: display models and the reads that fill them from the records."""
