// Run in the page: what a person with a screen reader or low vision would trip over first.
// Returns a list of problems; WCAG contrast: 4.5 for text, 3 for large text.
(() => {
  const problems = [];
  if (!document.documentElement.lang) problems.push("<html> has no lang");
  if (!document.title.trim()) problems.push("the page has no title");
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  for (const control of document.querySelectorAll("input, select, textarea")) {
    if (["hidden", "submit", "button", "reset"].includes(control.type) || !visible(control)) continue;
    const named = control.labels?.length || control.getAttribute("aria-label")
      || control.getAttribute("aria-labelledby") || control.title;
    if (!named) problems.push(`unlabelled ${control.tagName.toLowerCase()} name=${control.name}`);
  }
  for (const image of document.querySelectorAll("img")) {
    if (!image.hasAttribute("alt")) problems.push(`image without alt: ${image.src}`);
  }
  const channel = (value) => {
    value /= 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const rgb = (color) => (color.match(/[\d.]+/g) || []).map(Number);
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const [r, g, b, a = 1] = rgb(getComputedStyle(node).backgroundColor);
      if (a > 0.5) return [r, g, b];
    }
    return [255, 255, 255];
  };
  const main = document.querySelector("main") || document.body;
  for (const el of main.querySelectorAll("p, li, dd, dt, td, th, label, h1, h2, h3, a, button, legend")) {
    if (!visible(el) || !el.textContent.trim() || el.closest(".leaflet-container")) continue;
    const style = getComputedStyle(el);
    const foreground = luminance(rgb(style.color));
    const behind = luminance(background(el));
    const ratio = (Math.max(foreground, behind) + 0.05) / (Math.min(foreground, behind) + 0.05);
    const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && style.fontWeight >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      problems.push(`contrast ${ratio.toFixed(2)} for "${el.textContent.trim().slice(0, 40)}" (${style.color})`);
    }
  }
  return problems;
})
