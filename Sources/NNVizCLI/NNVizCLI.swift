// The nnviz command.
