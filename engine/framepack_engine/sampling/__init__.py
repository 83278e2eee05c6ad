"""Flow-matching sampling: the shifted sigma schedule, the UniPC solver, guidance."""
