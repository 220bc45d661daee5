"""The CP-SAT roster model: variables, one module per rule family, objective, solve."""
