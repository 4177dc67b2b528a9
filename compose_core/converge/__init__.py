"""From a desired Project and the observed engine state to a Plan, and its execution."""
