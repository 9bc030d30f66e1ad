#!/usr/bin/env python3
"""The HTML handout in a real browser: headless Chromium, driven over the
DevTools protocol on a pipe. Loads the handout, steps with real key presses,
clicks a field and a byte, and saves a screenshot. Prints TAP.

usage: html-in-chromium.py HANDSHAKE_LAB_EXE OUTPUT_DIR
"""
import base64
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import tap

exe, out_dir = sys.argv[1], sys.argv[2]
os.makedirs(out_dir, exist_ok=True)
results = []


def check(ok, what):
    results.append((bool(ok), what))


browser = shutil.which("chromium")
if not browser:
    sys.exit(tap.report([(False, "chromium is not installed (apt-get install chromium)")]))

html = os.path.join(out_dir, "handout.html")
subprocess.run([exe, "--headless", "01-rsa-key-exchange", "--html=" + html], check=True)
html13 = os.path.join(out_dir, "handout-tls13.html")
subprocess.run([exe, "--headless", "30-tls13-basic", "--html=" + html13], check=True)
html_fault = os.path.join(out_dir, "handout-fault.html")
subprocess.run([exe, "--headless", "20-fault-flipped-finished", "--html=" + html_fault], check=True)

# Chromium reads commands on fd 3 and writes answers on fd 4: move our pipe ends
# out of the way, then put them in place in the child only.
def high(fd):
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


to_chrome_r, to_chrome_w = map(high, os.pipe())
from_chrome_r, from_chrome_w = map(high, os.pipe())


def wire_child():
    os.dup2(to_chrome_r, 3)
    os.dup2(from_chrome_w, 4)


proc = subprocess.Popen(
    [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
     "--remote-debugging-pipe", "--window-size=1400,900", "about:blank"],
    pass_fds=(3, 4), preexec_fn=wire_child, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    start_new_session=True)  # its own process group: every helper process goes with it
os.close(to_chrome_r)
os.close(from_chrome_w)
buffer = b""
next_id = 0
session = None


def send(method, params=None, use_session=True):
    global next_id, buffer
    next_id += 1
    message = {"id": next_id, "method": method, "params": params or {}}
    if use_session and session:
        message["sessionId"] = session
    os.write(to_chrome_w, json.dumps(message).encode() + b"\0")
    deadline = time.time() + 30
    while time.time() < deadline:
        while b"\0" in buffer:
            raw, buffer = buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
        chunk = os.read(from_chrome_r, 65536)
        if not chunk:
            raise RuntimeError("chromium closed the pipe")
        buffer += chunk
    raise RuntimeError(f"{method}: no answer in 30 s")


def evaluate(expression):
    return send("Runtime.evaluate", {"expression": expression, "returnByValue": True})[
        "result"].get("value")


def press(key, code):
    for kind in ("keyDown", "keyUp"):
        send("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": code,
                                        "windowsVirtualKeyCode": code_numbers[code]})


code_numbers = {"ArrowRight": 39, "ArrowLeft": 37, "End": 35, "KeyQ": 81, "KeyN": 78,
                "Digit1": 49, "Digit2": 50, "Digit3": 51, "Digit4": 52, "Digit5": 53}


def wait_for(expression, want):
    """Polls until the page's expression gives want (the key schedule is unpacked
    asynchronously); returns the last value seen."""
    value = None
    for _ in range(100):
        value = evaluate(expression)
        if value == want:
            break
        time.sleep(0.1)
    return value


def open_page(path):
    send("Page.navigate", {"url": "file://" + os.path.abspath(path)})
    for _ in range(100):
        if evaluate("document.readyState") == "complete":
            break
        time.sleep(0.1)

try:
    targets = send("Target.getTargets", use_session=False)["targetInfos"]
    page = next(t for t in targets if t["type"] == "page")
    session = send("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True},
                   use_session=False)["sessionId"]
    send("Page.enable")
    send("Page.navigate", {"url": "file://" + os.path.abspath(html)})
    for _ in range(100):
        if evaluate("document.readyState") == "complete":
            break
        time.sleep(0.1)
    title = evaluate("document.getElementById('step-title').textContent")
    check(title.startswith("Step 1 of 13: ClientHello"), f"opens on step 1 ({title!r})")
    for _ in range(3):
        press("ArrowRight", "ArrowRight")
    title = evaluate("document.getElementById('step-title').textContent")
    check(title.startswith("Step 4 of 13: ServerHelloDone"), f"three Right presses: step 4 ({title!r})")
    press("ArrowLeft", "ArrowLeft")
    title = evaluate("document.getElementById('step-title').textContent")
    check(title.startswith("Step 3 of 13: Certificate"), f"Left goes back: step 3 ({title!r})")
    check(evaluate("location.hash") == "#step-3", "the address names the step")
    check(evaluate("document.querySelector('.hit.on').dataset.step") == "3",
          "the diagram marks the shown step")
    # A field's bytes light up: clicking "Length" (3 bytes) marks 3 bytes.
    marked = evaluate("""(() => {
      const b = [...document.querySelectorAll('#fields button')]
        .find(b => b.textContent.startsWith('Length:'));
      b.click();
      return document.querySelectorAll('#hex span.on').length; })()""")
    check(marked == 3, f"clicking the Length field marks its 3 bytes ({marked})")
    # A byte finds its field: byte 0 is the handshake type.
    field = evaluate("""(() => {
      document.querySelector('#hex span[data-i="0"]').click();
      return document.querySelector('#fields button.on').textContent; })()""")
    check(field.startswith("Handshake type"), f"clicking byte 0 selects its field ({field!r})")
    # Clicking an arrow's row shows that step.
    evaluate("document.querySelector('.hit[data-step=\"9\"]').click()")
    title = evaluate("document.getElementById('step-title').textContent")
    check(title.startswith("Step 9 of 13: Finished"), f"clicking row 9 shows it ({title!r})")
    secrets = evaluate("document.getElementById('server-secrets').textContent")
    check("Master secret" in secrets, "the server's secrets after step 9 include the master secret")
    before = evaluate("document.querySelector('.ladder').getBoundingClientRect().width")
    evaluate("document.getElementById('zoom-in').click()")
    after = evaluate("document.querySelector('.ladder').getBoundingClientRect().width")
    check(after > before * 1.2, f"zooming in widens the diagram ({before:.0f} -> {after:.0f} px)")
    evaluate("document.getElementById('zoom-out').click()")
    press("End", "End")
    title = evaluate("document.getElementById('step-title').textContent")
    check(title.startswith("Step 13 of 13"), f"End goes to the last step ({title!r})")
    press("ArrowLeft", "ArrowLeft")
    shot = send("Page.captureScreenshot", {"format": "png"})["data"]
    with open(os.path.join(out_dir, "handout-step-12.png"), "wb") as f:
        f.write(base64.b64decode(shot))
    check(len(shot) > 10000, "a screenshot was taken")

    # TLS 1.3 (lesson 30): the key schedule follows the selected step, as in the window.
    open_page(html13)
    step = "document.getElementById('ks-1').dataset.step"
    held = "document.getElementById('ks-held-1').textContent"
    svg = "document.getElementById('ks-1').innerHTML"
    check(wait_for(step, "1") == "1", "the key schedule opens at step 1")
    about = evaluate("document.getElementById('ks-about').textContent")
    check("after the step selected above" in about, f"the section says it follows the step ({about!r})")
    note = evaluate("document.getElementById('ks-note-1').textContent")
    check(note.startswith("What each side holds after step 1 (ClientHello from the client)"),
          f"its caption names step 1 ({note!r})")
    words = evaluate(held)
    client, _, server = words.partition("The server holds:")
    check("client_handshake_traffic_secret" not in client
          and "client_handshake_traffic_secret" in server,
          f"after the ClientHello only the server holds the handshake secrets ({words!r})")
    first = evaluate(svg)
    press("ArrowRight", "ArrowRight")
    check(wait_for(step, "2") == "2", "Right: the key schedule stands at step 2")
    words = evaluate(held)
    client, _, server = words.partition("The server holds:")
    check("client_handshake_traffic_secret" in client and "master_secret" not in client,
          f"after the ServerHello the client holds the handshake secrets, no master secret "
          f"({words!r})")
    second = evaluate(svg)
    check(first != second and second.startswith("<svg"), "step 2 draws another picture")
    evaluate("document.getElementById('key-schedule').scrollIntoView()")
    shot = send("Page.captureScreenshot", {"format": "png"})["data"]
    with open(os.path.join(out_dir, "handout-tls13-schedule-step-2.png"), "wb") as f:
        f.write(base64.b64decode(shot))
    press("End", "End")
    last = evaluate("data.steps.length")
    check(wait_for(step, str(last)) == str(last), f"End: the key schedule stands at step {last}")
    words = evaluate(held)
    client, _, server = words.partition("The server holds:")
    check("resumption_master_secret" in client and "resumption_master_secret" in server,
          f"at the end both hold the resumption master secret ({words!r})")
    press("ArrowLeft", "ArrowLeft")
    check(wait_for("document.getElementById('ks-note-1').textContent.split(' (')[0]",
                   f"What each side holds after step {last - 1}")
          == f"What each side holds after step {last - 1}", "Left: the caption follows")

    # The quiz (issue 20), answered with real key presses: the answers are not in the page
    # until the student answers; one right answer and one wrong one, each scored.
    open_page(html)
    text = "document.getElementById('%s').textContent"
    check(evaluate("document.getElementById('quiz-box').hidden") is True,
          "the quiz waits to be started")
    press("q", "KeyQ")
    count = evaluate(text % "quiz-count")
    check(count.startswith("Question 1 of "), f"q starts the quiz at question 1 ({count!r})")
    question = evaluate(text % "quiz-question")
    check(question == "Step 1: who sends next, and which message?", f"asks step 1 ({question!r})")
    choices = evaluate("[...document.querySelectorAll('#quiz-choices button')].map(b=>b.textContent)")
    right = choices.index("client \u2192 server: ClientHello") if "client \u2192 server: ClientHello" in choices else -1
    check(right >= 0, f"the ClientHello from the client is a choice ({choices!r})")
    page_text = evaluate("document.body.innerText")
    check("The client opens the handshake" not in page_text.split("Quiz")[-1]
          and evaluate(text % "quiz-feedback") == "",
          "no feedback or explanation before the answer")
    check(evaluate("document.getElementById('inspector').style.visibility") == "hidden",
          "the inspector, which would show step 1, is hidden before the first answer")
    covered = evaluate("!!document.querySelector('.ladder .cover')")
    check(covered, "the diagram is covered from the step asked about")
    press(str(right + 1), f"Digit{right + 1}")
    check(evaluate("document.getElementById('inspector').style.visibility") == "",
          "answering shows the inspector again")
    feedback = evaluate(text % "quiz-feedback")
    check(feedback == "Right.", f"the right key gets 'Right.' ({feedback!r})")
    explanation = evaluate(text % "quiz-explanation")
    check(len(explanation) > 20, f"with the explanation ({explanation!r})")
    score = evaluate(text % "quiz-score")
    check(score == "Score: 1 of 1 answered.", f"score after a right answer ({score!r})")
    press("n", "KeyN")
    count = evaluate(text % "quiz-count")
    check(count.startswith("Question 2 of "), f"n goes to question 2 ({count!r})")
    choices = evaluate("[...document.querySelectorAll('#quiz-choices button')].map(b=>b.textContent)")
    want = "server \u2192 client: ServerHello"
    wrong = next(i for i, c in enumerate(choices) if c != want)
    press(str(wrong + 1), f"Digit{wrong + 1}")
    feedback = evaluate(text % "quiz-feedback")
    check(feedback == f"Not this one: the answer is {want}.", f"a wrong key is told the answer ({feedback!r})")
    marked = evaluate("[...document.querySelectorAll('#quiz-choices button')].map(b=>b.className)")
    check(marked[wrong] == "wrong" and marked[choices.index(want)] == "right",
          f"the wrong choice and the right one are marked ({marked!r})")
    score = evaluate(text % "quiz-score")
    check(score == "Score: 1 of 2 answered.", f"score after a wrong answer ({score!r})")
    press("1", "Digit1")
    check(evaluate(text % "quiz-score") == "Score: 1 of 2 answered.",
          "a second key on an answered question changes nothing")
    evaluate("document.getElementById('quiz').scrollIntoView()")
    shot = send("Page.captureScreenshot", {"format": "png"})["data"]
    with open(os.path.join(out_dir, "handout-quiz.png"), "wb") as f:
        f.write(base64.b64decode(shot))
    total = evaluate("data.quiz.length")
    for _ in range(total - 2):
        press("n", "KeyN")
        press("1", "Digit1")
    press("n", "KeyN")
    done = evaluate(text % "quiz-score")
    check(done.startswith("Quiz finished. Score: ") and done.endswith(f" of {total}."),
          f"the end gives the score over all {total} questions ({done!r})")
    check(not evaluate("!!document.querySelector('.ladder .cover')"), "the end uncovers the diagram")

    # A fault lesson: the questions about the changed message (lesson 20: the client's
    # Finished, step 8) are asked with that step still covered, its outcome unseen; the
    # last of them, "which check catches it?", is answered from the run (the server's record
    # check: the flipped ciphertext fails its MAC before the Finished is read) and uncovers it.
    open_page(html_fault)
    about = evaluate(text % "quiz-about")
    check("answer with 1 to 5," in about, f"five choices, five keys ({about!r})")
    press("q", "KeyQ")
    cover_top = "(document.querySelector('.ladder .cover')||{style:{}}).style.top"
    row_top = "document.querySelectorAll('.hit')[%d].style.top"
    asked = []
    for _ in range(evaluate("data.quiz.length")):
        question = evaluate(text % "quiz-question")
        if "changed on the way" in question or "stops first" in question or "which check" in question:
            asked.append(question)
            check(evaluate(cover_top) == evaluate(row_top % 7),
                  f"asked with step 8 covered: {question!r}")
        if "which check" in question:
            choices = evaluate("[...document.querySelectorAll('#quiz-choices button')].map(b=>b.textContent)")
            want = "The server's record check (MAC or AEAD tag) of the client's Finished"
            check(want in choices and choices[-1] == "None: nothing checks it",
                  f"the checks the run names, None last ({choices!r})")
            key = choices.index(want) + 1
            press(str(key), f"Digit{key}")
            check(evaluate(text % "quiz-feedback") == "Right.", "the record check is right")
            check(evaluate(cover_top) == evaluate(row_top % 8), "answered: step 8 uncovered")
            evaluate("document.getElementById('quiz').scrollIntoView()")
            shot = send("Page.captureScreenshot", {"format": "png"})["data"]
            with open(os.path.join(out_dir, "handout-quiz-which-check.png"), "wb") as f:
                f.write(base64.b64decode(shot))
            break
        press("1", "Digit1")
        if "changed on the way" in question or "stops first" in question:
            check(evaluate(cover_top) == evaluate(row_top % 7),
                  f"answered, the next question still about step 8: covered ({question!r})")
        press("n", "KeyN")
    check(len(asked) == 3, f"three questions about the change ({asked!r})")
except Exception as e:  # a broken page or browser is a failure, never a skip
    check(False, f"driving chromium: {e}")
finally:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()

sys.exit(tap.report(results))
