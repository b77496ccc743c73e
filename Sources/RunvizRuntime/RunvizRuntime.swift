// RunvizRuntime
