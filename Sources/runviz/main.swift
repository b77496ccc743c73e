print("runviz")
