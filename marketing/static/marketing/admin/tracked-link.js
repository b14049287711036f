// Draftail "Tracked link" entity: opens the tracked-link chooser and stores the chosen link's
// id; shown in the editor like an ordinary link (Wagtail's own link decorator).
(() => {
  if (!window.draftail) return;
  const { ModalWorkflowSource, registerPlugin } = window.draftail;

  class TrackedLinkSource extends ModalWorkflowSource {
    getChooserConfig() {
      return {
        url: this.props.entityType.chooserUrls.trackedLinkChooser,
        urlParams: {},
        onload: window.CHOOSER_MODAL_ONLOAD_HANDLERS,
        responses: { chosen: this.onChosen },
      };
    }

    filterEntityData(data) {
      return { id: data.id, url: data.url, title: data.title };
    }
  }

  const plugins = registerPlugin({ type: 'TRACKED_LINK', source: TrackedLinkSource }, 'entityTypes');
  registerPlugin(
    { type: 'TRACKED_LINK', source: TrackedLinkSource, decorator: plugins.LINK && plugins.LINK.decorator },
    'entityTypes',
  );
})();
