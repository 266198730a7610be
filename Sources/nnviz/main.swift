print("nnviz")
