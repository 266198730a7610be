// makeDot and the Graphviz renderer.
