// The live view's page: redraws everything from each state the example pushes (server-sent events).
// Nothing here talks to Kafka; the numbers are what the example's loops and admin client reported.
'use strict';

window.liveErrors = [];
window.addEventListener('error', e => window.liveErrors.push(String(e.message)));
window.addEventListener('unhandledrejection', e => window.liveErrors.push(String(e.reason)));

// One colour per member, in the order members appear; every colour goes with the member's name in text.
const PALETTE = ['#1f77b4', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f', '#2ca02c',
  '#d62728', '#ff7f0e'];
const colours = new Map();
function colourOf(member) {
  if (!colours.has(member)) {
    colours.set(member, PALETTE[colours.size % PALETTE.length]);
  }
  return colours.get(member);
}

const number = n => (n < 0 ? 'none yet' : n.toLocaleString('en-US'));

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => {
    if (name === 'text') {
      node.textContent = value;
    } else {
      node.setAttribute(name, value);
    }
  });
  children.forEach(child => node.append(child));
  return node;
}

// A share group's partition has several owners at once, listed "a, b, c": one badge each.
const ownersOf = owner => (owner ? owner.split(', ') : []);

function memberBadge(member) {
  const badge = el('span', {class: 'owner', text: member});
  badge.style.background = colourOf(member);
  return badge;
}

function ownerBadges(owner) {
  const members = ownersOf(owner);
  if (members.length === 0) {
    return [el('span', {class: 'owner none', text: 'no owner'})];
  }
  return members.flatMap((member, i) => (i === 0 ? [memberBadge(member)] : [' ', memberBadge(member)]));
}

function drawPartitions(state) {
  const box = document.getElementById('partitions');
  const topics = new Set(state.partitions.map(p => p.topic));
  const widest = Math.max(1, ...state.partitions.map(p => p.logEnd));
  // A share group has no committed offset: its start offset says everything before it is acknowledged.
  const done = state.shareGroup ? 'acknowledged to' : 'committed';
  document.getElementById('done-legend').textContent = state.shareGroup
    ? 'acknowledged (before the share group\'s start offset)' : 'committed (the group has finished these)';
  const rows = state.partitions.map(p => {
    const start = Math.max(p.logStart, 0);
    const committed = Math.min(Math.max(p.committed, start), Math.max(p.logEnd, start));
    const end = Math.max(p.logEnd, 0);
    const percent = offset => (100 * offset / widest) + '%';
    const bar = el('div', {class: 'bar', role: 'img',
      'aria-label': `partition ${p.partition}: log start ${number(p.logStart)}, ${done} ${number(p.committed)}, `
        + `log end ${number(p.logEnd)}, lag ${number(p.lag)}`});
    const part = (cls, from, to, title) => {
      const span = el('span', {class: cls, title: title});
      span.style.left = percent(from);
      span.style.width = percent(to - from);
      return span;
    };
    bar.append(part('deleted', 0, start, `offsets 0 to ${number(start)}: deleted by retention`),
      part('done', start, committed, `offsets ${number(start)} to ${number(committed)}: ${done}`),
      part('lag', committed, end, `offsets ${number(committed)} to ${number(end)}: lag ${number(p.lag)}`));
    const name = 'partition ' + p.partition + (topics.size > 1 ? ' of ' + p.topic : '');
    const replicas = p.leader === null ? '' : ` · leader broker ${p.leader}, in sync [${p.isr.join(', ')}]`;
    const facts = el('div', {class: 'facts', text:
      `log start ${number(p.logStart)} · ${done} ${number(p.committed)} · log end ${number(p.logEnd)} · `
      + `lag ${number(p.lag)}${replicas}`
      + (p.owners.length > 1 ? ` · owners so far: ${p.owners.join(' → ')}` : '')});
    const row = el('div', {class: 'partition', 'data-topic': p.topic, 'data-partition': p.partition,
      'data-lag': p.lag, 'data-owner': p.owner || '', 'data-owners': p.owners.join(','),
      'data-leader': p.leader === null ? '' : p.leader},
      el('div', {class: 'name', text: name}), el('div', {}, ...ownerBadges(p.owner), ' ', bar), facts);
    row.title = `${name}: log start ${number(p.logStart)}, ${done} ${number(p.committed)}, `
      + `log end ${number(p.logEnd)}, lag ${number(p.lag)}`;
    return row;
  });
  box.replaceChildren(...rows);
  document.getElementById('scope').textContent =
    (state.topic ? `topic ${state.topic}` : 'every topic') + (state.group ? `, group ${state.group}` : '');
}

function drawMembers(state) {
  const owned = new Map();
  state.partitions.forEach(p => ownersOf(p.owner).forEach(member => {
    owned.set(member, (owned.get(member) || []).concat(p.partition));
  }));
  const rows = state.members.map(m => el('tr', {'data-member': m.name},
    el('td', {}, memberBadge(m.name)),
    el('td', {text: (owned.get(m.name) || []).join(', ') || 'none'}),
    el('td', {class: 'number', text: number(m.perSecond)}),
    el('td', {class: 'number', text: number(m.handled)}),
    el('td', {class: 'number', text: number(m.retries)}),
    el('td', {class: 'number', text: number(m.deadLetters)})));
  document.querySelector('#members tbody').replaceChildren(...rows);
}

function drawCluster(state) {
  const items = state.brokers.map(b => el('li', {'data-broker': b.id, 'data-up': b.up},
    `broker ${b.id} at ${b.address}: `,
    el('span', {class: b.up ? 'up' : 'down', text: b.up ? 'up' : 'down (not answering)'}),
    b.controller ? ' · active controller' : ''));
  document.getElementById('brokers').replaceChildren(...items);
}

function drawTimeline(state) {
  const items = state.timeline.slice().reverse().map(entry => el('li', {'data-kind': entry.kind},
    el('span', {class: 'at', text: entry.at}), el('span', {class: 'kind', text: entry.kind}), entry.text));
  document.getElementById('timeline').replaceChildren(...items);
}

function draw(state) {
  document.getElementById('example').textContent = state.example;
  document.title = `Kafka Primer live view: ${state.example}`;
  const status = document.getElementById('status');
  status.textContent = (state.finished ? 'finished: ' : '') + state.status;
  status.className = state.finished ? 'finished' : '';
  drawPartitions(state);
  drawMembers(state);
  drawCluster(state);
  drawTimeline(state);
  document.getElementById('output').textContent = state.lines.join('\n');
  window.liveState = state;
}

const events = new EventSource('/events');
events.onmessage = message => draw(JSON.parse(message.data));
events.onerror = () => {
  const status = document.getElementById('status');
  status.textContent = (window.liveState && window.liveState.finished)
    ? 'the run has ended; this is its last state'
    : 'lost the connection to the example; retrying…';
};
