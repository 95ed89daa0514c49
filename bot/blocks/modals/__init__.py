"""One module per modal: its blocks, and the wording of what its submission leads to."""
