"""Default collaborators of the workflow engine: in-memory state and a broadcaster that drops events."""

import copy


class InMemoryStateManager:
    """Keeps each execution's latest state snapshot in a dict (copies in, copies out)."""

    def __init__(self):
        self._states = {}

    async def save_state(self, execution_id, state):
        self._states[execution_id] = copy.deepcopy(state)

    async def get_state(self, execution_id):
        return copy.deepcopy(self._states.get(execution_id))


class NullBroadcaster:
    """Accepts every event and sends it nowhere."""

    async def broadcast(self, event):
        return None
