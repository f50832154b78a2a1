"""Python that the Planner spec names: its function validators and its processors (the user code of a real API)."""
