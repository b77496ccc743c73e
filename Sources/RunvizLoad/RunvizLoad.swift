// RunvizLoad
