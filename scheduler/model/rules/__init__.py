"""One module per rule family: `add_<rule>(model, data, roster)`; soft rules return their penalty terms."""
