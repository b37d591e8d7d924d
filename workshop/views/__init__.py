"""Workshop pages, one module per floor activity: ``board`` (landing, board), ``dispatch``, ``jobs`` (my jobs, the
clock, the shift), ``findings`` (增项), ``quality`` (终检), ``comebacks`` (返修), ``roster`` (排班表). Views are thin:
check, validate, call one service, redirect."""
