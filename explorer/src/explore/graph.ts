/**
 * One way to draw a graph: Cytoscape.js with the dagre layered layout (owners above what they own, parents
 * above derived models). Colour is never the only signal: countries are written in node labels, alleged and
 * unknown edges are dashed and labelled, highlighted paths are thicker and marked "on path".
 */
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import dagre from 'cytoscape-dagre';
import { h } from './dom';

cytoscape.use(dagre);

/** A colour-blind-safe palette (Okabe–Ito), assigned to countries in order of first appearance. */
const PALETTE = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#999999'];
const FIXED: Record<string, string> = { CN: '#D55E00', US: '#0072B2', KY: '#E69F00', SG: '#009E73' };

export function countryColour(code: string | null | undefined, seen: Map<string, string>): string {
  if (!code) return '#ffffff';
  const known = FIXED[code] ?? seen.get(code);
  if (known) {
    seen.set(code, known);
    return known;
  }
  const colour = PALETTE[seen.size % PALETTE.length]!;
  seen.set(code, colour);
  return colour;
}

export interface GraphNode {
  id: string;
  label: string;
  colour?: string;
  classes?: string[];
  href?: string;
}
export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  classes?: string[];
  href?: string;
  /** The edge in words, for the list under the picture (screen readers, keyboard users, copy and paste). */
  description: string;
}

export interface DrawnGraph {
  cy: Core;
  element: HTMLElement;
}

declare global {
  interface Window {
    /** The graphs on the page, for the browser tests and for the console. */
    __graphs?: Record<string, Core>;
  }
}

const STYLE: cytoscape.StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'text-wrap': 'wrap',
      'text-max-width': '160px',
      'text-valign': 'center',
      'font-size': 12,
      'font-family': 'system-ui, sans-serif',
      shape: 'round-rectangle',
      width: 170,
      height: 58,
      'background-color': 'data(colour)',
      'background-opacity': 0.35,
      'border-width': 1.5,
      'border-color': '#333',
      color: '#111',
    },
  },
  { selector: 'node.focus', style: { 'border-width': 4, 'font-weight': 'bold' } },
  { selector: 'node.person', style: { shape: 'ellipse' } },
  { selector: 'node.model', style: { shape: 'round-hexagon' as never, width: 190 } },
  {
    selector: 'edge',
    style: {
      label: 'data(label)',
      'text-wrap': 'wrap',
      'font-size': 11,
      'text-background-color': '#fff',
      'text-background-opacity': 0.9,
      'text-background-padding': '2px',
      'curve-style': 'bezier',
      'target-arrow-shape': 'triangle',
      width: 1.5,
      'line-color': '#555',
      'target-arrow-color': '#555',
      color: '#111',
    },
  },
  { selector: 'edge.unknown', style: { 'line-style': 'dotted', 'line-color': '#888' } },
  { selector: 'edge.range', style: { 'line-style': 'dashed', 'line-dash-pattern': [8, 3] } },
  {
    selector: 'edge.alleged',
    style: { 'line-style': 'dashed', 'line-color': '#B00020', 'target-arrow-color': '#B00020' },
  },
  {
    selector: 'edge.control',
    style: { 'line-style': 'dashed', 'line-color': '#6a3d9a', 'target-arrow-shape': 'diamond' },
  },
  { selector: 'edge.ended', style: { opacity: 0.45 } },
  {
    selector: 'edge.on-path',
    style: {
      width: 6,
      'line-color': '#000',
      'target-arrow-color': '#000',
      'font-weight': 'bold',
      'z-index': 10,
    },
  },
  { selector: 'node.on-path', style: { 'border-width': 4, 'border-color': '#000' } },
];

/**
 * Draws the graph in a figure with its caption, a PNG export button and the edges as a list, and registers
 * it under `name` in window.__graphs.
 */
export function drawGraph(
  name: string,
  caption: string,
  nodes: GraphNode[],
  edges: GraphEdge[],
  legend: HTMLElement | null = null,
): DrawnGraph {
  const canvas = h('div', {
    class: 'graph',
    role: 'img',
    'aria-label': `${caption}: ${nodes.length} nodes, ${edges.length} edges; listed below the picture.`,
    'data-graph': name,
  });
  const list = h(
    'details',
    { class: 'edge-list' },
    h('summary', {}, `The ${edges.length} edges as a list`),
    h(
      'ul',
      {},
      edges.map((e) =>
        h(
          'li',
          { 'data-edge': e.id, class: (e.classes ?? []).join(' ') },
          e.href ? h('a', { href: e.href }, e.description) : e.description,
        ),
      ),
    ),
  );
  const download = h('button', { type: 'button', class: 'export' }, 'Download PNG');
  const figure = h(
    'figure',
    { class: 'graph-figure' },
    h('figcaption', {}, caption, ' ', download),
    canvas,
    legend,
    list,
  );
  const elements: ElementDefinition[] = [
    ...nodes.map((n) => ({
      data: { id: n.id, label: n.label, colour: n.colour ?? '#ffffff', href: n.href },
      classes: n.classes ?? [],
    })),
    ...edges.map((e) => ({
      data: { id: e.id, source: e.source, target: e.target, label: e.label, href: e.href },
      classes: e.classes ?? [],
    })),
  ];
  const cy = cytoscape({
    container: canvas,
    elements,
    style: STYLE,
    layout: { name: 'preset' },
    wheelSensitivity: 0.3,
    minZoom: 0.2,
    maxZoom: 3,
  });
  // The container must be in the document for the layout to know its size: the caller appends `figure`
  // before the next frame. `data-ready` tells the browser tests (and anyone scripting the page) it is drawn.
  requestAnimationFrame(() => {
    cy.resize();
    const layout = cy.layout({
      name: 'dagre',
      rankDir: 'TB',
      nodeSep: 30,
      rankSep: 70,
      edgeSep: 10,
      fit: true,
      padding: 20,
    } as cytoscape.LayoutOptions);
    layout.one('layoutstop', () => canvas.setAttribute('data-ready', 'true'));
    layout.run();
  });
  cy.on('tap', 'node, edge', (event) => {
    const target = event.target as cytoscape.SingularElementReturnValue;
    const link = target.data('href') as string | undefined;
    if (link) window.dispatchEvent(new CustomEvent('explorer:navigate', { detail: link }));
  });
  download.addEventListener('click', () => {
    const png = cy.png({ full: true, scale: 2, bg: '#ffffff', output: 'base64uri' });
    const a = h('a', { href: png, download: `${name}.png` });
    document.body.append(a);
    a.click();
    a.remove();
  });
  window.__graphs = { ...(window.__graphs ?? {}), [name]: cy };
  return { cy, element: figure };
}

/** Countries seen in a graph, as a legend: colour swatch and code, so the code alone still tells. */
export function countryLegend(seen: Map<string, string>): HTMLElement {
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Countries' },
    [...seen.entries()].map(([code, colour]) =>
      h('li', {}, h('span', { class: 'swatch', style: `background:${colour}` }), code),
    ),
    h('li', {}, '—— known share'),
    h('li', {}, '- - - range'),
    h('li', {}, '····· unknown size'),
  );
}
