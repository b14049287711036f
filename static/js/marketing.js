/* First-party, cookieless marketing: no cookie, no localStorage, no third party.
 *
 * - On landing, keeps the visitor's source (utm_*, qr, referrer host as `ref`, landing path as
 *   `landing`) in sessionStorage: it lives only as long as the tab.
 * - Fills the hidden inputs of every <form data-attribution> (names in
 *   marketing.attribution.ATTRIBUTION_FIELDS): the source, `page` = this path, `video` = the
 *   video played here, `offer`/`link` = the offer used in this tab.
 * - Sends beacons (navigator.sendBeacon) for the page view, video plays, Amazon link clicks
 *   and code copies; copies discount codes to the clipboard.
 * - Adds the stored source to /go/ links when followed, so the click is attributed.
 */
(() => {
  const script = document.currentScript;
  const beaconUrl = (script && script.dataset.beacon) || '/m/e/';
  const KEY = 'm4l:source';
  const SOURCE_KEYS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'qr', 'ref', 'landing'];
  const path = window.location.pathname;

  const store = (() => {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null; // storage blocked: attribution still comes from the URL
    }
  })();
  const read = (key) => {
    try {
      return JSON.parse((store && store.getItem(key)) || '{}');
    } catch (e) {
      return {};
    }
  };
  const write = (key, value) => {
    try {
      if (store) store.setItem(key, JSON.stringify(value));
    } catch (e) {
      /* full or blocked */
    }
  };

  // The source: a new campaign in the URL replaces the stored one; otherwise the first landing holds.
  const params = new URLSearchParams(window.location.search);
  let source = read(KEY);
  const fromUrl = {};
  SOURCE_KEYS.forEach((name) => {
    const value = params.get(name);
    if (value && name !== 'landing') fromUrl[name] = value.slice(0, 100);
  });
  let referrerHost = '';
  try {
    referrerHost = document.referrer ? new URL(document.referrer).hostname : '';
  } catch (e) {
    referrerHost = '';
  }
  if (referrerHost && referrerHost !== window.location.hostname && !fromUrl.ref) fromUrl.ref = referrerHost;
  if (!source.landing || Object.keys(fromUrl).some((k) => k.startsWith('utm_') || k === 'qr')) {
    source = { ...fromUrl, landing: path };
    write(KEY, source);
  }
  const used = read('m4l:used'); // {offer, link} the visitor used in this tab

  const send = (body) => {
    const payload = JSON.stringify({ p: path, s: source, ...body });
    if (navigator.sendBeacon && navigator.sendBeacon(beaconUrl, new Blob([payload], { type: 'text/plain' }))) return;
    fetch(beaconUrl, { method: 'POST', body: payload, keepalive: true, credentials: 'omit' }).catch(() => {});
  };

  let playedVideo = '';
  const fillForms = () => {
    const values = { ...source, page: path, video: playedVideo, offer: used.offer || '', link: used.link || '' };
    document.querySelectorAll('form[data-attribution]').forEach((form) => {
      Object.entries(values).forEach(([name, value]) => {
        const input = form.querySelector(`input[type="hidden"][name="${name}"]`);
        if (input && value) input.value = value;
      });
    });
  };
  const remember = (offer, link) => {
    if (offer) used.offer = String(offer);
    if (link) used.link = String(link);
    write('m4l:used', used);
    fillForms();
  };

  fillForms();
  send({ t: 'pageview' });

  document.addEventListener('video:play', (event) => {
    const title = (event.detail && event.detail.title) || '';
    if (!title) return;
    playedVideo = title.slice(0, 200);
    fillForms();
    send({ t: 'video_play', v: playedVideo });
  });

  const onLinkActivated = (event) => {
    if (event.type === 'auxclick' && event.button !== 1) return; // middle click opens a tab
    const target = event.target instanceof Element ? event.target : null;
    const anchor = target && target.closest('a[href]');
    if (!anchor) return;
    if (anchor.dataset.amazonLink) {
      send({ t: 'amazon_click', l: Number(anchor.dataset.amazonLink) });
      remember('', anchor.dataset.linkSlug);
    } else if (anchor.pathname && anchor.pathname.startsWith('/go/') && anchor.host === window.location.host) {
      // Hand the stored source to /go/, which records it (it never changes the destination).
      const url = new URL(anchor.href);
      SOURCE_KEYS.forEach((name) => {
        if (source[name] && name !== 'landing' && !url.searchParams.has(name)) url.searchParams.set(name, source[name]);
      });
      anchor.href = url.toString();
      remember('', anchor.pathname.split('/')[2]);
    }
  };
  document.addEventListener('auxclick', onLinkActivated);

  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;

    const copy = target.closest('[data-copy-code]');
    if (copy) {
      const code = copy.dataset.copyCode;
      const status = copy.parentElement && copy.parentElement.querySelector('[role="status"]');
      const done = () => {
        if (status) status.textContent = `Copied ${code}`;
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(code).then(done, () => {
          if (status) status.textContent = 'Select the code and copy it';
        });
      }
      send({ t: 'code_copy', o: Number(copy.dataset.offer), l: copy.dataset.link ? Number(copy.dataset.link) : undefined });
      remember(copy.dataset.offer, '');
      return;
    }

    onLinkActivated(event);
  });
})();
