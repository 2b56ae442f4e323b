"""`git voice review`: a series on a local page (diffs, spoken notes, readback) and spoken review comments kept in
refs/notes/voice-review, with the mailing-list reply that quotes them under their lines."""
