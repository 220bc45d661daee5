"""One module per rule family: `add_<rule>(model, data, roster)` states a hard rule; a soft one takes the
weights too, `add_<rule>(model, data, roster, weights)`, and returns its penalty terms (registry.py)."""
