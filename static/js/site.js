// Click-to-load video: the page ships a plain link to the video; only when the visitor
// presses play do we swap in the privacy-enhanced player, so no provider script, cookie or
// request happens before they ask for it.
(function () {
  "use strict";

  function play(figure, facade) {
    var url = figure.getAttribute("data-video-player");
    var titleNode = facade.querySelector(".video__title");
    var title = titleNode ? titleNode.textContent.trim() : "Video";
    var iframe = document.createElement("iframe");
    iframe.src = url;
    iframe.title = title;
    iframe.setAttribute("allow", "autoplay; encrypted-media; picture-in-picture");
    iframe.setAttribute("allowfullscreen", "");
    iframe.className = "video__player";
    facade.replaceWith(iframe);
    figure.classList.add("video--playing");
    iframe.focus();
    // Other scripts (e.g. first-party analytics) listen for this instead of editing this file.
    figure.dispatchEvent(new CustomEvent("video:play", { detail: { title: title, url: url }, bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    // Let modified clicks (new tab, new window) follow the plain link.
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    var facade = event.target.closest && event.target.closest(".video__facade");
    if (!facade) return;
    var figure = facade.closest("[data-video-player]");
    if (!figure) return;
    event.preventDefault();
    play(figure, facade);
  });
})();
