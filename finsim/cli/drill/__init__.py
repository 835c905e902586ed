"""The terminal side of a drill: the loop, the readers, the clock, the rendering."""
