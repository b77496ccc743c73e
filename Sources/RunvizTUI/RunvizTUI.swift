// RunvizTUI
