"""The backend modules judged by the mutation gate: workflow engine, BYOK LLM handler, workflow analytics."""
