#!/usr/bin/env python3
"""gen_corpus - a deterministic mixed mail corpus for `make bench`.

    gen_corpus.py --seed 1 --count 200 --testdata DIR OUTDIR
    gen_corpus.py --size-mb 10 OUTDIR        (one message of about 10 MB)

The same seed gives the same corpus. The mix: replies with quoted
threads, HTML newsletters full of links, invoices with PDF, ZIP and XLSX
attachments, Japanese ISO-2022-JP mail, and a share of macro documents
and password-protected ZIPs taken from the shared test data.
"""
import argparse, base64, io, os, random, zipfile
from email.header import Header

WORDS = ("invoice payment order shipment meeting report quarter budget "
         "project deadline review contract update schedule delivery").split()


def head(rnd, subject, extra=""):
    n = rnd.randrange(10**9)
    return ("From: Sender %d <s%d@example.org>\r\nTo: rcpt@example.net\r\n"
            "Subject: %s\r\nMessage-ID: <%d@example.org>\r\n"
            "Date: Thu, 26 Nov 2026 00:00:00 +0000\r\nMIME-Version: 1.0\r\n%s"
            % (n % 97, n, subject, n, extra))


def text(rnd, words):
    return " ".join(rnd.choice(WORDS) for _ in range(words))


def b64(data):
    return base64.encodebytes(data).decode().replace("\n", "\r\n")


def attach(rnd, subject, name, ctype, data):
    return (head(rnd, subject, 'Content-Type: multipart/mixed; boundary="b"\r\n')
            + "\r\n--b\r\nContent-Type: text/plain\r\n\r\n" + text(rnd, 60)
            + "\r\n--b\r\nContent-Type: %s; name=\"%s\"\r\n"
              "Content-Disposition: attachment; filename=\"%s\"\r\n"
              "Content-Transfer-Encoding: base64\r\n\r\n" % (ctype, name, name)
            + b64(data) + "--b--\r\n")


def reply(rnd):
    quoted = "\r\n".join("> " + text(rnd, 12) for _ in range(30))
    return head(rnd, "RE: " + text(rnd, 3), 'In-Reply-To: <x@example.org>\r\n'
                'Content-Type: text/plain; charset=us-ascii\r\n') + "\r\n" + \
        text(rnd, 80) + "\r\n\r\nOn Mon, someone wrote:\r\n" + quoted + "\r\n"


def newsletter(rnd):
    links = "".join('<p><a href="https://news%d.example.com/a/%d">%s</a></p>\r\n'
                    % (rnd.randrange(50), rnd.randrange(10**6), text(rnd, 8))
                    for _ in range(60))
    return head(rnd, "Newsletter " + text(rnd, 2),
                'Content-Type: text/html; charset=utf-8\r\n') + \
        "\r\n<html><body>" + links + "</body></html>\r\n"


def invoice(rnd, testdata):
    kind = rnd.randrange(3)
    if kind == 0:
        pdf = b"%PDF-1.4\n" + text(rnd, 2000).encode() + b"\n%%EOF\n"
        return attach(rnd, "Invoice", "invoice.pdf", "application/pdf", pdf)
    if kind == 1:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("invoice.txt", text(rnd, 3000))
        return attach(rnd, "Invoice", "invoice.zip", "application/zip",
                      buf.getvalue())
    xlsx = read(testdata, "office/clean/sample.xlsx") or b"PK\x05\x06" + b"\0" * 18
    return attach(rnd, "Invoice", "invoice.xlsx",
                  "application/vnd.openxmlformats-officedocument."
                  "spreadsheetml.sheet", xlsx)


def japanese(rnd):
    subject = Header("お見積りの件 " + str(rnd.randrange(1000)), "iso-2022-jp").encode()
    body = ("いつもお世話になっております。ご確認をお願いいたします。\r\n" * 20)
    return head(rnd, subject, "Content-Type: text/plain; charset=iso-2022-jp\r\n"
                "Content-Transfer-Encoding: 7bit\r\n") + "\r\n" + \
        body.encode("iso-2022-jp").decode("ascii")


def read(testdata, rel):
    try:
        with open(os.path.join(testdata, rel), "rb") as f:
            return f.read()
    except OSError:
        return None


def dangerous(rnd, testdata):
    if rnd.randrange(2):
        data = read(testdata, "office/macro/SimpleMacro.xlsm")
        if data:
            return attach(rnd, "Order", "order.xlsm",
                          "application/vnd.ms-excel.sheet.macroEnabled.12", data)
    raw = read(testdata, "mail/spamassassin/zippwmacro.eml")
    return raw.decode("latin-1").replace("\n", "\r\n").replace("\r\r\n", "\r\n") \
        if raw else reply(rnd)


def big(size_mb):
    rnd = random.Random(size_mb)
    data = bytes(rnd.getrandbits(8) for _ in range(4096)) * (size_mb * 256)
    return attach(rnd, "Big %d MB" % size_mb, "big.bin",
                  "application/octet-stream", data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--testdata", default="../shared/testdata")
    ap.add_argument("--size-mb", type=int, default=0)
    ap.add_argument("out")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.size_mb:
        with open(os.path.join(a.out, "big-%dmb.eml" % a.size_mb), "w",
                  newline="") as f:
            f.write(big(a.size_mb))
        return
    rnd = random.Random(a.seed)
    makers = [reply] * 30 + [newsletter] * 25 + [invoice] * 25 + \
        [japanese] * 12 + [dangerous] * 8
    for i in range(a.count):
        make = rnd.choice(makers)
        args = (rnd, a.testdata) if make in (invoice, dangerous) else (rnd,)
        with open(os.path.join(a.out, "%05d.eml" % i), "w", newline="") as f:
            f.write(make(*args))


if __name__ == "__main__":
    main()
