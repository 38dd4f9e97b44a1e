"""Kernel machinery, by the process it runs in: ``warm`` (forking report kernels from a warm zygote:
the opt-in and jupyter_client's provisioner), ``zygote_client`` (a process's end of its zygotes),
``zygote`` and ``forked_kernel`` (inside those processes), and ``reused`` (papermill's ``cchc-reuse``
engine: a batch worker keeps one kernel and resets it between reports)."""
