"""The notebook's last cell: make the zip to submit, or say (in Korean and English) how to submit
where otter cannot make it: on Colab, or with several notebooks in the folder."""

from __future__ import annotations

import glob
import os

COLAB = ("Colab 에서는 제출용 zip 을 만들 수 없습니다. 메뉴의 파일 → 다운로드 → .ipynb 다운로드로 이 노트북을 받아, "
         "그 .ipynb 파일을 Gradescope (또는 Canvas) 에 올리세요.\n"
         "On Colab the zip to submit cannot be made. Use File → Download → Download .ipynb, and upload that "
         ".ipynb file to Gradescope (or Canvas).")
SEVERAL = ("이 폴더에 노트북이 여러 개 있어서 어느 것을 제출할지 알 수 없습니다: {files}. 제출할 노트북 하나만 남기고 "
           "나머지는 다른 폴더로 옮긴 뒤, 이 셀을 다시 실행하세요.\n"
           "This folder holds several notebooks, so it is not clear which one to submit: {files}. Keep only the "
           "notebook you submit here (move the others to another folder), then run this cell again.")
EXPORTING = "제출할 노트북 / exporting: {name}"


NOT_SAVED = ("자동 저장을 확인하지 못했습니다. 마지막 저장 뒤에 고친 것이 있다면 저장(Ctrl+S / ⌘S)한 뒤 이 셀을 다시 실행하세요.\n"
             "The notebook could not be saved automatically here: if you changed anything since your last save, "
             "save it (Ctrl+S / ⌘S) and run this cell again.")
SAVE_WAIT = 3.0  # seconds to wait for the front end to save the notebook (classic Jupyter, JupyterLab)


def export(grader) -> None:
    """Save the notebook where the front end allows, then make the zip to submit (otter's export,
    without a PDF and without re-running the tests: the check cells already ran). Where otter cannot
    make it (Colab, several notebooks in the folder) say how to submit, in Korean and English."""
    if not type(grader).__module__.startswith("otter"):
        return  # the batch grader's stand-in for otter.Notebook: nothing to export (and otter stays unimported)
    from otter.check.utils import IPythonInterpreter

    if getattr(grader, "interpreter", None) is IPythonInterpreter.COLAB:
        print(COLAB)
        return
    notebooks = sorted(glob.glob("*.ipynb"))
    this = None
    if len(notebooks) > 1:
        this = os.path.basename(os.environ.get("JPY_SESSION_NAME", ""))  # Jupyter names the notebook it runs
        if this not in notebooks:
            print(SEVERAL.format(files=", ".join(notebooks)))
            return
        print(EXPORTING.format(name=this))
    if notebooks and not _save(this or notebooks[0]):
        print(NOT_SAVED)
    import warnings

    with warnings.catch_warnings():  # jupyter_client's warnings are not the student's business
        warnings.simplefilter("ignore")
        grader.export(this, pdf=False, run_tests=False)


def _save(path: str) -> bool:
    """Ask the front end to save the notebook (otter's way: JavaScript for classic Jupyter, ipylab for
    JupyterLab) and wait a little for the file to change; False when it did not."""
    import contextlib
    import io

    from otter.check.utils import save_notebook

    with contextlib.redirect_stderr(io.StringIO()):
        try:
            return bool(save_notebook(path, timeout=SAVE_WAIT))
        except Exception:  # noqa: BLE001 - no front end to ask: say how to save instead
            return False
