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


def export(grader) -> None:
    """grader.export(pdf=False, run_tests=True), where otter can do it."""
    if not type(grader).__module__.startswith("otter"):
        return  # the batch grader's stand-in for otter.Notebook: nothing to export (and otter stays unimported)
    from otter.check.utils import IPythonInterpreter

    if getattr(grader, "interpreter", None) is IPythonInterpreter.COLAB:
        print(COLAB)
        return
    notebooks = sorted(glob.glob("*.ipynb"))
    if len(notebooks) > 1:
        this = os.path.basename(os.environ.get("JPY_SESSION_NAME", ""))  # Jupyter names the notebook it runs
        if this not in notebooks:
            print(SEVERAL.format(files=", ".join(notebooks)))
            return
        print(EXPORTING.format(name=this))
        grader.export(this, pdf=False, run_tests=True)
        return
    grader.export(pdf=False, run_tests=True)
