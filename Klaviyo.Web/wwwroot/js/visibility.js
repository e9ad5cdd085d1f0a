// Whether this tab is visible: the sync panel polls only while someone can see it.
export function isVisible() {
    return document.visibilityState === "visible";
}
