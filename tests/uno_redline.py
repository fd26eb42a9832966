"""Run by the SYSTEM python3 (python3-uno lives there), never by pytest: LibreOffice as a real client.

    /usr/bin/python3 tests/uno_redline.py PROFILE_DIR JOB.json

JOB.json is a list of {"file": DOCX, "mode": "plain" | "accept" | "reject"}. For each,
LibreOffice (headless, over a pipe) opens the file, lists its tracked changes (type,
author, date), accepts or rejects them all when asked, and saves the text. Prints one
JSON list of {"file", "mode", "text", "changes"}.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(profile):
    pipe = f"fkdiff{os.getpid()}"
    soffice = subprocess.Popen(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--invisible",
         "--nologo", "--norestore", "--nodefault", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            if soffice.poll() is not None:
                raise SystemExit("soffice exited before accepting connections")
            time.sleep(0.25)
    else:
        soffice.kill()
        raise SystemExit("soffice did not answer")
    manager = context.ServiceManager
    return soffice, manager.createInstanceWithContext("com.sun.star.frame.Desktop", context), \
        manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)


def changes(document):
    out = []
    enumeration = document.getRedlines().createEnumeration()
    while enumeration.hasMoreElements():
        redline = enumeration.nextElement()
        stamp = redline.getPropertyValue("RedlineDateTime")
        out.append({"type": redline.getPropertyValue("RedlineType"),
                    "author": redline.getPropertyValue("RedlineAuthor"),
                    "date": f"{stamp.Year:04d}-{stamp.Month:02d}-{stamp.Day:02d}"})
    return out


def main():
    profile, job_file = sys.argv[1], sys.argv[2]
    jobs = json.load(open(job_file, encoding="utf-8"))
    soffice, desktop, dispatcher = connect(profile)
    results = []
    try:
        for job in jobs:
            url = uno.systemPathToFileUrl(os.path.abspath(job["file"]))
            document = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
            found = changes(document)
            if job["mode"] != "plain":
                command = ".uno:AcceptAllTrackedChanges" if job["mode"] == "accept" else ".uno:RejectAllTrackedChanges"
                frame = document.getCurrentController().getFrame()
                dispatcher.executeDispatch(frame, command, "", 0, ())
            with tempfile.TemporaryDirectory() as folder:
                target = os.path.join(folder, "out.txt")
                document.storeToURL(uno.systemPathToFileUrl(target),
                                    (prop("FilterName", "Text (encoded)"), prop("FilterOptions", "UTF8")))
                text = open(target, encoding="utf-8-sig").read()
            left = len(changes(document))
            document.close(True)
            results.append({"file": job["file"], "mode": job["mode"], "text": text, "changes": found,
                            "left": left})
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            soffice.wait(timeout=30)
        except subprocess.TimeoutExpired:
            soffice.kill()
    print(json.dumps(results))


main()
