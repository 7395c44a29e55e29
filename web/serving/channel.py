"""waitress's HTTP channel, without the main loop spinning while a task sends its answer.

A task's thread sends what it writes at once, holding the channel's output lock. While it
does, waitress's channel asks to be polled for writing; the socket is writable, so the poll
returns at once, the main loop finds the lock taken, and polls again. That loop spins for
as long as the send lasts and takes the interpreter lock from the very thread it waits for:
measured on loopback, two dozen polls and about a millisecond of processor per request.

Here the channel does not ask to be polled while a task thread holds the lock. Nothing
waits on the main loop meanwhile: a task that leaves output unsent wakes the loop when it
ends (waitress pulls its trigger then), and past the high watermark, where the task waits
for the loop to drain its output, the channel asks as waitress's own does.
"""

from __future__ import annotations

from waitress.channel import HTTPChannel


class QuietChannel(HTTPChannel):
    """An HTTPChannel not polled for writing while a task thread is sending its output."""

    def writable(self) -> bool:
        if self._task_is_sending():
            return False
        return bool(super().writable())

    def _task_is_sending(self) -> bool:
        if not self.requests or self.will_close or self.close_when_flushed:
            return False
        if self.total_outbufs_len > self.adj.outbuf_high_watermark:
            return False
        if not self.outbuf_lock.acquire(blocking=False):
            return True
        self.outbuf_lock.release()
        return False
