// RunvizEcho
