/**
 * A Gmail thread page (2023-11 layout) with N expanded messages, for the detection benchmark
 * and its correctness check. Each message has a sender, three recipients, a date, and a body
 * with a quote and a signature that hold addresses which must not be read.
 */
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const PEOPLE = Array.from({ length: 12 }, (_, i) => ({ email: `person${i}@client${i % 3}.example`, name: `Person ${i} Example` }));
const SELF = { email: 'jane@acme.io', name: 'me' };

export function gmailThreadPage(n = 50) {
  const messages = [];
  for (let i = 0; i < n; i++) {
    const from = i % 4 === 3 ? SELF : PEOPLE[i % PEOPLE.length];
    const to = [SELF, PEOPLE[(i + 1) % PEOPLE.length], PEOPLE[(i + 5) % PEOPLE.length]].filter((p) => p !== from);
    const day = 1 + (i % 28);
    const date = `Mon, Nov ${day}, 2023, ${1 + (i % 12)}:${String(i % 60).padStart(2, '0')} PM`;
    const span = (p, cls) => `<span email="${p.email}" name="${esc(p.name)}" data-hovercard-id="${p.email}" class="${cls}">${esc(p.name)}</span>`;
    messages.push(`
<div role="listitem" class="h7 ie nH oy8Mbf" tabindex="-1"><div class="Bk"><div class="G3 G2"><div>
<div class="adn ads" data-message-id="#msg-f:17825312345678${String(i).padStart(5, '0')}" data-legacy-message-id="18bc1f2e3d4${i.toString(16).padStart(5, '0')}">
 <div class="gs"><div class="gE iv gt"><table class="cf gJ"><tbody>
  <tr class="acZ"><td class="gF gK"><table class="cf ix"><tbody><tr><td><h3 class="iw gFxsud"><span class="qu" role="gridcell">${span(from, 'gD')} <span class="go"><span aria-hidden="true">&lt;</span>${from.email}<span aria-hidden="true">&gt;</span></span></span></h3></td></tr></tbody></table></td>
   <td class="gH bAk"><div class="gK"><span class="g3" title="${date}" alt="${date}" role="gridcell" tabindex="-1">${date} (2 days ago)</span></div></td></tr>
  <tr class="acZ xD"><td colspan="3"><table class="cf adz"><tbody><tr><td class="ady"><div class="iw ajw"><span class="hb">to ${to.map((p) => span(p, 'g2')).join(', ')}</span><div class="ajy" role="button" aria-haspopup="true"></div></div></td></tr></tbody></table></td></tr>
 </tbody></table></div>
 <div class="ii gt"><div class="a3s aiL"><div dir="ltr">Message ${i}: ${'Thanks for the update on the rollout plan. '.repeat(6)}
  <div class="gmail_signature" data-smartmail="gmail_signature">Signature sig${i}@signature.example</div></div>
  <div class="gmail_quote"><div class="gmail_attr">On Sun, Nov 5, 2023 someone &lt;quoted${i}@quoted.example&gt; wrote:</div><blockquote class="gmail_quote">${'Earlier text. '.repeat(20)}</blockquote></div></div></div>
</div></div></div></div></div>`);
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Re: Rollout plan - jane@acme.io - Gmail</title></head><body>
<div class="nH"><div class="aeF"><div class="nH"><div role="main" class="nH bkK">
<div class="g id"><div class="a98 iY"><div class="nH">
<div class="ha"><h2 class="hP" data-thread-perm-id="thread-f:1782531234567890123" data-legacy-thread-id="18bc1f2e3d4c5b6a">Re: Rollout plan <img data-emoji="🚀" alt="🚀" src="data:,"></h2></div>
<div class="nH hx"><div role="list" class="Bs nH">${messages.join('')}</div></div>
</div></div></div></div></div></div></div></body></html>`;
}
