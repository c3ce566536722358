/**
 * Controls inside closed shadow roots (the in-page Log button) are invisible to DOM locators.
 * This finds them the way a screen reader does, through Chromium's accessibility tree over CDP,
 * by role and accessible name, and clicks their real on-screen box.
 */
export async function ax(page) {
  const cdp = await page.context().newCDPSession(page);
  const find = async (role, name) => {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodes } = await cdp.send('Accessibility.queryAXTree', { backendNodeId: root.backendNodeId, role, accessibleName: name });
    return nodes.find((n) => !n.ignored && n.backendDOMNodeId)?.backendDOMNodeId ?? null;
  };
  const call = async (backendNodeId, fn) => {
    const { object } = await cdp.send('DOM.resolveNode', { backendNodeId });
    const { result } = await cdp.send('Runtime.callFunctionOn', { objectId: object.objectId, functionDeclaration: fn, returnByValue: true });
    return result.value;
  };
  const click = async (backendNodeId) => {
    await cdp.send('DOM.scrollIntoViewIfNeeded', { backendNodeId });
    const { model } = await cdp.send('DOM.getBoxModel', { backendNodeId });
    const q = model.border;
    await page.mouse.click((q[0] + q[4]) / 2, (q[1] + q[5]) / 2);
  };
  return { find, call, click, cdp, detach: () => cdp.detach() };
}
