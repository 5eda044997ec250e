#!/usr/bin/env python3
"""Writes the thread fixtures of t/data/thread (t/cli/thread.sh): hijacked
and genuine replies, forwards, list mail, a newsletter and first-contact
mail, in Japanese (ISO-2022-JP headers, 7bit, quoted-printable and base64
bodies), English, German and French. All names and addresses are made up."""
import base64, quopri, os
from email.header import Header
D=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'thread') + '/'
# quote.zip: mitsumori.txt ("見積書の内容です。"), ZipCrypto, password 2021
# (zip -P 2021), kept as made: encryption headers are random
ZIP = '''\
UEsDBAoACQAAAE4bel3USJgTKQAAAB0AAAANABwAbWl0c3Vtb3JpLnR4dFVUCQAD46YHa+OmB2t1
eAsAAQQAAAAABAAAAAArFdEa4Avtrxysm196EFzQI5uwg4QEuiICmZjpDLgFUc1YgWyYLxbyqVBL
BwjUSJgTKQAAAB0AAABQSwECHgMKAAkAAABOG3pd1EiYEykAAAAdAAAADQAYAAAAAAABAAAApIEA
AAAAbWl0c3Vtb3JpLnR4dFVUBQAD46YHa3V4CwABBAAAAAAEAAAAAFBLBQYAAAAAAQABAFMAAACA
AAAAAAA=
'''
def h(s, cs='iso-2022-jp'):
    return Header(s, cs).encode()
def w(name, text):
    open(D+name,'wb').write(text if isinstance(text,bytes) else text.encode())

# 1. Japanese hijack, ISO-2022-JP headers, 7bit ISO-2022-JP body, password zip
body = ("鈴木様\r\n\r\nお世話になっております。\r\n見積書を添付いたします。\r\n"
        "パスワード：2021\r\n\r\nよろしくお願いいたします。\r\n\r\n"
        "差出人： 鈴木 花子 <suzuki@example.co.jp>\r\n"
        "送信日時： 2021年3月9日 19:26\r\n"
        "宛先： 山田 太郎 <yamada@partner.co.jp>\r\n"
        "CC： 経理部 <keiri@partner.co.jp>\r\n"
        "件名： お見積りの件\r\n\r\n"
        "山田様\r\n\r\nお見積りをお送りください。\r\n")
w('ja-hijack-zip.eml', ("From: %s <info@hacked-shop.example>\r\n"
"To: %s <suzuki@example.co.jp>\r\n"
"Subject: %s\r\n"
"Date: Wed, 10 Mar 2021 09:12:00 +0900\r\n"
"Message-ID: <20210310091200.1234@hacked-shop.example>\r\n"
"In-Reply-To: <abc123@example.co.jp>\r\n"
"References: <abc123@example.co.jp>\r\n"
"MIME-Version: 1.0\r\n"
"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
"--b1\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
% (h('山田 太郎'), h('鈴木 花子'), h('RE: お見積りの件'))).encode('ascii') + body.encode('iso-2022-jp') +
("\r\n--b1\r\nContent-Type: application/zip; name=\"quote.zip\"\r\n"
"Content-Disposition: attachment; filename=\"quote.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
+ ZIP.replace('\n','\r\n') + "--b1--\r\n").encode())

# 2. Japanese hijack, Shift_JIS quoted-printable body, '>'-quoted block,
#    address in display name, no In-Reply-To/References, full-width RE
body = ("鈴木様\r\n\r\nご確認ください。\r\n\r\n"
        "> -----Original Message-----\r\n"
        "> 差出人: 鈴木 花子 <suzuki@example.co.jp>\r\n"
        "> 送信日時: 2021年3月9日 19:26\r\n"
        "> 宛先: 山田 太郎 <yamada@partner.co.jp>\r\n"
        "> 件名: 請求書の件\r\n>\r\n> 山田様\r\n> 請求書をお願いします。\r\n")
w('ja-hijack-qp.eml', ("From: %s <billing@unrelated.example>\r\n"
"To: suzuki@example.co.jp\r\n"
"Subject: %s\r\n"
"Date: Wed, 10 Mar 2021 09:12:00 +0900\r\n"
"Message-ID: <x1@unrelated.example>\r\n"
"MIME-Version: 1.0\r\n"
"Content-Type: text/plain; charset=Shift_JIS\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
% (h('yamada@partner.co.jp'), h('ＲＥ：請求書の件'))).encode('ascii') +
 quopri.encodestring(body.encode('shift_jis')))

# 3. English hijack, HTML only, Outlook block with [mailto:]
html = """<html><head><style>p.MsoNormal{margin:0}</style></head><body>
<p class=MsoNormal>Hi John,</p><p class=MsoNormal>Please see the attached
invoice.</p>
<div style="border:none;border-top:solid #E1E1E1 1.0pt">
<p class=MsoNormal><b>From:</b> Mary Jones &lt;mary.jones@example.com&gt;
<br><b>Sent:</b> Tuesday, March 9, 2021 7:26 PM<br><b>To:</b> John Smith
&lt;john.smith@partner.example&gt;; Accounts &lt;accounts@partner.example&gt;
<br><b>Subject:</b> Invoice 4711</p></div>
<p class=MsoNormal>John, could you send the invoice?</p></body></html>
"""
w('en-hijack.eml', "From: \"John Smith\" <jsmith@compromised-site.example>\r\n"
"To: Mary Jones <mary.jones@example.com>\r\n"
"Subject: RE: Invoice 4711\r\n"
"Date: Wed, 10 Mar 2021 09:12:00 +0000\r\n"
"Message-ID: <x2@compromised-site.example>\r\n"
"In-Reply-To: <m1@example.com>\r\n"
"MIME-Version: 1.0\r\n"
"Content-Type: text/html; charset=us-ascii\r\n\r\n" + html.replace('\n','\r\n'))

# 4. German hijack, latin-1 QP
body = ("Hallo Herr Müller,\r\n\r\nanbei die Unterlagen.\r\n\r\n"
        "-----Ursprüngliche Nachricht-----\r\n"
        "Von: Anna Schäfer <anna.schaefer@beispiel.de>\r\n"
        "Gesendet: Dienstag, 9. März 2021 19:26\r\n"
        "An: Peter Müller <p.mueller@firma.de>\r\n"
        "Betreff: Angebot\r\n\r\nHallo Herr Müller,\r\nbitte senden Sie das Angebot.\r\n")
w('de-hijack.eml', ("From: Peter Mueller <kontakt@gehackt.example>\r\n"
"To: anna.schaefer@beispiel.de\r\n"
"Subject: AW: Angebot\r\n"
"Date: Wed, 10 Mar 2021 09:12:00 +0100\r\n"
"Message-ID: <x3@gehackt.example>\r\n"
"References: <a1@beispiel.de>\r\n"
"MIME-Version: 1.0\r\n"
"Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n").encode() +
 quopri.encodestring(body.encode('latin-1')))

# 5. French hijack, UTF-8 QP, Outlook FR block with spaces before colons,
#    and a Gmail attribution deeper down
body = ("Bonjour,\r\n\r\nVeuillez trouver le document.\r\n\r\n"
        "De : Claire Martin <claire.martin@exemple.fr>\r\n"
        "Envoyé : mardi 9 mars 2021 19:26\r\n"
        "À : Luc Bernard <luc.bernard@societe.fr>\r\n"
        "Objet : Facture\r\n\r\nBonjour Luc,\r\n\r\n"
        "Le mar. 8 mars 2021 à 10:00, Luc Bernard <luc.bernard@societe.fr> a\u00a0écrit\u00a0:\r\n"
        "> Voici la facture.\r\n")
w('fr-hijack.eml', ("From: Luc Bernard <compta@pirate.example>\r\n"
"To: claire.martin@exemple.fr\r\n"
"Subject: RE : TR: Facture\r\n"
"Date: Wed, 10 Mar 2021 09:12:00 +0100\r\n"
"Message-ID: <x4@pirate.example>\r\n"
"In-Reply-To: <c1@exemple.fr>\r\n"
"MIME-Version: 1.0\r\n"
"Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n").encode() +
 quopri.encodestring(body.encode('utf-8')))

# 6. genuine English reply, plain+html, sender's address quoted
plain = ("Hi Mary,\r\n\r\nhere it is.\r\n\r\n"
         "-----Original Message-----\r\n"
         "From: Mary Jones <mary.jones@example.com>\r\n"
         "Sent: Tuesday, March 9, 2021 7:26 PM\r\n"
         "To: John Smith <john.smith@partner.example>\r\n"
         "Subject: Invoice 4711\r\n\r\nJohn, could you send the invoice?\r\n")
w('en-genuine.eml', "From: John Smith <john.smith@partner.example>\r\n"
"To: Mary Jones <mary.jones@example.com>\r\n"
"Subject: RE: Invoice 4711\r\n"
"Date: Wed, 10 Mar 2021 09:12:00 +0000\r\n"
"Message-ID: <g1@partner.example>\r\n"
"In-Reply-To: <m1@example.com>\r\nReferences: <m1@example.com>\r\n"
"MIME-Version: 1.0\r\n"
"Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n--alt\r\n"
"Content-Type: text/plain; charset=us-ascii\r\n\r\n" + plain +
"--alt\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n<html><body><p>Hi Mary,</p>"
"<div><b>From:</b> Mary Jones &lt;mary.jones@example.com&gt;<br><b>Sent:</b> Tuesday"
"<br><b>To:</b> John Smith &lt;john.smith@partner.example&gt;<br><b>Subject:</b> Invoice 4711</div>"
"</body></html>\r\n--alt--\r\n")

# 7. genuine English reply with the same password zip (contrast for the policy)
w('en-genuine-zip.eml', "From: John Smith <john.smith@partner.example>\r\n"
"To: Mary Jones <mary.jones@example.com>\r\n"
"Subject: RE: Invoice 4711\r\n"
"Date: Wed, 10 Mar 2021 09:12:00 +0000\r\n"
"Message-ID: <g2@partner.example>\r\n"
"In-Reply-To: <m1@example.com>\r\nReferences: <m1@example.com>\r\n"
"MIME-Version: 1.0\r\n"
"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"
"Content-Type: text/plain; charset=us-ascii\r\n\r\nHi Mary,\r\n\r\nthe quote, password: 2021\r\n\r\n" +
plain[plain.index('-----'):] +
"\r\n--b1\r\nContent-Type: application/zip; name=\"quote.zip\"\r\n"
"Content-Disposition: attachment; filename=\"quote.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
+ ZIP.replace('\n','\r\n') + "--b1--\r\n")

# 8. genuine Japanese reply: Outlook shows the sender by name only, from a
#    subdomain of the quoted recipient's organization
body = ("鈴木様\r\n\r\n承知しました。\r\n\r\n"
        "差出人: 鈴木 花子 <suzuki@example.co.jp>\r\n"
        "送信日時: 2021年3月9日 19:26\r\n"
        "宛先: 山田 太郎\r\n"
        "件名: お見積りの件\r\n\r\n鈴木です。\r\n")
w('ja-genuine-names.eml', ("From: %s <t.yamada@mail.partner.co.jp>\r\n"
"To: %s <suzuki@example.co.jp>\r\n"
"Subject: %s\r\n"
"Date: Wed, 10 Mar 2021 09:12:00 +0900\r\n"
"Message-ID: <g3@mail.partner.co.jp>\r\n"
"In-Reply-To: <abc123@example.co.jp>\r\n"
"MIME-Version: 1.0\r\n"
"Content-Type: text/plain; charset=ISO-2022-JP\r\n\r\n"
% (h('山田 太郎'), h('鈴木 花子'), h('Re: お見積りの件'))).encode('ascii') + body.encode('iso-2022-jp'))

# 9. genuine reply with names only and a new colleague (display name not
#    among them): names-only thread from a known org domain
body = ("Hello,\r\n\r\nI am taking over from Anna.\r\n\r\n"
        "Von: Anna Schäfer <anna.schaefer@beispiel.de>\r\n"
        "Gesendet: Dienstag, 9. März 2021 19:26\r\n"
        "An: Peter Müller\r\n"
        "Cc: einkauf@firma.de\r\n"
        "Betreff: Angebot\r\n")
w('de-genuine-domain.eml', ("From: Jens Weber <j.weber@firma.de>\r\n"
"To: anna.schaefer@beispiel.de\r\n"
"Subject: AW: Angebot\r\n"
"Date: Wed, 10 Mar 2021 09:12:00 +0100\r\n"
"Message-ID: <g4@firma.de>\r\nIn-Reply-To: <a1@beispiel.de>\r\n"
"MIME-Version: 1.0\r\n"
"Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n").encode() + body.encode())

# 10. Gmail-style reply: attribution only, the quoted author is the other
#     party (no recipients shown): no finding
w('en-genuine-gmail.eml', "From: Bob Example <bob@bob-company.example>\r\n"
"To: alice@example.com\r\n"
"Subject: Re: Lunch\r\n"
"Date: Wed, 10 Mar 2021 09:12:00 +0000\r\n"
"Message-ID: <g5@bob-company.example>\r\nIn-Reply-To: <l1@example.com>\r\nReferences: <l1@example.com>\r\n"
"Content-Type: text/plain; charset=us-ascii\r\n\r\nSure, 12:30.\r\n\r\n"
"On Tue, Mar 9, 2021 at 7:26 PM Alice Example <\r\nalice@example.com> wrote:\r\n\r\n"
"> Lunch tomorrow?\r\n")

# 11. forward without References from a recipient of the forwarded message
w('en-forward.eml', "From: Carol <carol@example.com>\r\n"
"To: dave@example.org\r\n"
"Subject: Fwd: Conference program\r\n"
"Date: Wed, 10 Mar 2021 09:12:00 +0000\r\n"
"Message-ID: <g6@example.com>\r\n"
"Content-Type: text/plain; charset=us-ascii\r\n\r\nFYI\r\n\r\n"
"---------- Forwarded message ---------\r\n"
"From: Program Committee <pc@conference.example>\r\n"
"Date: Tue, Mar 9, 2021 at 7:26 PM\r\n"
"Subject: Conference program\r\n"
"To: <carol@example.com>\r\n\r\nThe program is online.\r\n")

# 12. newsletter: HTML, "From:" in prose, no reply subject
w('newsletter.eml', "From: Example News <news@news.example>\r\n"
"To: reader@example.com\r\n"
"Subject: Our March newsletter\r\n"
"Date: Wed, 10 Mar 2021 09:12:00 +0000\r\n"
"Message-ID: <n1@news.example>\r\n"
"List-Unsubscribe: <mailto:unsubscribe@news.example>\r\n"
"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
"<html><body><h1>March news</h1><p>From: the editors &mdash; welcome!</p>"
"<p>Write to editor@news.example.</p><p>Subject: spring sale</p></body></html>\r\n")

# 13. first contact, Japanese, no quote
w('ja-first-contact.eml', ("From: %s <sato@newcustomer.example>\r\n"
"To: info@example.co.jp\r\n"
"Subject: %s\r\n"
"Date: Wed, 10 Mar 2021 09:12:00 +0900\r\n"
"Message-ID: <f1@newcustomer.example>\r\n"
"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n\r\n"
% (h('佐藤 一郎'), h('製品についてのお問い合わせ'))).encode('ascii') +
 "はじめてご連絡いたします。\r\n製品について教えてください。\r\n".encode('iso-2022-jp'))

# 14. genuine Japanese reply quoting Gmail's and Thunderbird's attributions
body = ("了解です。\r\n\r\n"
        "2021年3月9日(火) 19:26 鈴木 花子 <suzuki@example.co.jp>:\r\n"
        "> 明日はいかがですか。\r\n>\r\n"
        "> 2021/03/08 10:00 に 山田 太郎 さんは書きました：\r\n"
        ">> 打ち合わせの件\r\n")
w('ja-genuine-gmail.eml', ("From: %s <yamada@partner.co.jp>\r\n"
"To: suzuki@example.co.jp\r\n"
"Subject: %s\r\n"
"Date: Wed, 10 Mar 2021 09:12:00 +0900\r\n"
"Message-ID: <g7@partner.co.jp>\r\nIn-Reply-To: <s2@example.co.jp>\r\n"
"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
% (h('山田 太郎'), h('Re: Re[2]: 打ち合わせの件'))).encode('ascii') +
 base64.encodebytes(body.encode('utf-8')))

# 15. forward of a list message the sender got through the list: a forward
#     is not checked against its quoted participants
w('en-forward-list.eml', "From: Erin <erin@example.com>\r\n"
"To: frank@example.org\r\n"
"Subject: FW: Release notes\r\n"
"Date: Wed, 10 Mar 2021 09:12:00 +0000\r\n"
"Message-ID: <g8@example.com>\r\n"
"Content-Type: text/plain; charset=us-ascii\r\n\r\nSee below.\r\n\r\n"
"-----Original Message-----\r\n"
"From: Release Team <release@project.example>\r\n"
"Sent: Tuesday, March 9, 2021 7:26 PM\r\n"
"To: announce@lists.project.example\r\n"
"Subject: Release notes\r\n\r\nVersion 2 is out.\r\n")

# 16. a reply on a mailing list from a member the quoted block does not show
w('en-list-reply.eml', "From: Grace <grace@member.example>\r\n"
"To: dev@lists.project.example\r\n"
"Subject: Re: Build broken\r\n"
"Date: Wed, 10 Mar 2021 09:12:00 +0000\r\n"
"Message-ID: <g9@member.example>\r\nIn-Reply-To: <b1@project.example>\r\n"
"List-Id: Developers <dev.lists.project.example>\r\n"
"Content-Type: text/plain; charset=us-ascii\r\n\r\nFixed in main.\r\n\r\n"
"-----Original Message-----\r\n"
"From: Heidi <heidi@project.example>\r\n"
"Sent: Tuesday, March 9, 2021 7:26 PM\r\n"
"To: dev@lists.project.example\r\n"
"Subject: Build broken\r\n\r\nThe build is broken.\r\n")
