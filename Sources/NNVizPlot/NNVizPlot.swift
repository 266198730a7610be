// Charts drawn with Cairo.
