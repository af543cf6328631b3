"""The worker process: what forking it does to the memory both processes share."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

# In a process of its own: the worker is forked only while no other thread runs (a test's server would be one).
SCRIPT = textwrap.dedent(
    """
    import gc, json, os
    from study_guide.core import parallel

    def in_the_worker():
        parallel.thaw()  # a build beginning in the worker (it never does) leaves the parent's objects frozen there
        return os.getpid(), gc.get_freeze_count()

    before = [[] for _ in range(1000)]  # objects the build made before its worker
    helper = parallel.Helper(0)
    forked = helper.restart(parallel.MIN_PAGES)
    pid, there = helper.submit(in_the_worker).result()
    here = gc.get_freeze_count()
    helper.close()
    after_close = gc.get_freeze_count()
    parallel.thaw()  # the next build begins
    print(json.dumps([forked, pid != os.getpid(), there, here, after_close, gc.get_freeze_count(), len(before)]))
    """
)


def test_objects_made_before_the_fork_stay_out_of_the_collectors_sight_until_the_next_build() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    forked, elsewhere, there, here, after_close, next_build, made = json.loads(result.stdout)
    assert forked and elsewhere
    assert there >= made and here >= made  # in the worker, and here from the fork on
    assert after_close >= made  # the build's end does not collect them only for the process to exit
    assert next_build == 0
