"""A workflow drawn as plain geometry, for a template to draw as inline SVG (no script, no outside
address, like services.charts).

States are boxes in rows by their distance from the first state (the first state on top, what a
request can never reach in a last row of its own); a step forward is a straight arrow from the
bottom of one box to the top of the next; a step back or sideways goes round beside the boxes.
States at fault (services.workflow_builder.flags) are drawn dashed and marked "!" so that the
fault is not said by colour alone, and the page lists the same states and steps as text.
"""

from dataclasses import dataclass, field

from . import catalogue

BOX_WIDTH = 200
BOX_HEIGHT = 46
GAP_X = 36
GAP_Y = 74
MARGIN = 16
CURVE_ROOM = 190  # beside the widest row, for the lanes of steps going back and their labels
TOP_ROOM = 24  # above the first row, for a step going back to the first state
LABEL_CHARS = 25  # the template cuts a step's label to 24 characters and "…"
CHAR_WIDTH = 6.6  # of the 12 px labels, on average: enough to keep two labels apart
# Heights in the gap between two rows at which a forward step's label may stand, below the
# upper box: the middle first, then nearer either box.
LABEL_SLOTS = (30, 45, 15, 60)


@dataclass
class Node:
    name: str
    label: str
    x: float
    y: float
    final: bool = False
    initial: bool = False
    faults: list = field(default_factory=list)


@dataclass
class Edge:
    label: str
    path: str
    label_x: float
    label_y: float
    anchor: str = "middle"  # of the label: a curve's label stands outside it


@dataclass
class Diagram:
    nodes: list
    edges: list
    width: float
    height: float
    box_width: int = BOX_WIDTH
    box_height: int = BOX_HEIGHT


def _rows(workflow):
    """State names in rows by breadth-first distance from the first state; the unreachable last."""
    states = list(workflow.get("states") or {})
    steps = workflow.get("transitions") or []
    depth = {workflow.get("initial"): 0} if workflow.get("initial") in states else {}
    frontier = list(depth)
    while frontier:
        following = []
        for step in steps:
            target = step.get("to")
            if target in states and target not in depth:
                if any(s in frontier for s in catalogue.sources_of(step)):
                    depth[target] = depth[frontier[0]] + 1
                    following.append(target)
        frontier = following
    unreachable = max(depth.values(), default=-1) + 1
    rows: list = [[] for _ in range(unreachable + 1)]
    for name in states:  # definition order within a row
        rows[depth.get(name, unreachable)].append(name)
    return [row for row in rows if row]


def layout(workflow, language, faults=None):
    """The Diagram of `workflow` with labels in `language`; `faults` {state: [messages]}."""
    faults = faults or {}
    states = workflow.get("states") or {}
    rows = _rows(workflow)
    widest = max((len(r) for r in rows), default=1)
    row_width = widest * BOX_WIDTH + (widest - 1) * GAP_X
    nodes = {}
    for row_index, row in enumerate(rows):
        used = len(row) * BOX_WIDTH + (len(row) - 1) * GAP_X
        left = MARGIN + (row_width - used) / 2
        for column, name in enumerate(row):
            info = states[name]
            public = info.get("public") or {}
            nodes[name] = Node(
                name=name,
                label=public.get(language) or public.get("en") or name,
                x=left + column * (BOX_WIDTH + GAP_X),
                y=MARGIN + row_index * (BOX_HEIGHT + GAP_Y),
                final=bool(info.get("final")),
                initial=name == workflow.get("initial"),
                faults=faults.get(name, []),
            )
    row_of = {name: index for index, row in enumerate(rows) for name in row}
    pairs = [
        (source, step)
        for step in workflow.get("transitions") or []
        for source in catalogue.sources_of(step)
        if source in nodes and step.get("to") in nodes
    ]
    # A step back or sideways leaves its box on the side where no other box of its row stands,
    # runs up a lane beside the drawing, along the gap above the row it goes to, and down into
    # its box: it crosses lines but never a box.
    middle = MARGIN + row_width / 2
    sides = {}
    for pair in pairs:
        source, step = pair
        if row_of[step["to"]] <= row_of[source]:
            row = rows[row_of[source]]
            if row[0] == source:
                sides[id(pair)] = "left"
            elif row[-1] == source:
                sides[id(pair)] = "right"
            else:
                sides[id(pair)] = "left" if nodes[source].x + BOX_WIDTH / 2 < middle else "right"
    left_room = CURVE_ROOM if "left" in sides.values() else 0
    for node in nodes.values():
        node.x += left_room
        node.y += TOP_ROOM
    leaving = {name: [p for p in pairs if p[0] == name] for name in nodes}
    arriving = {name: [p for p in pairs if p[1].get("to") == name] for name in nodes}
    edges = []
    lanes = {"left": 0, "right": 0}
    forward: list = []
    for pair in pairs:
        source, step = pair
        start, end = nodes[source], nodes[step["to"]]
        label = (step.get("label") or {}).get(language) or step.get("action", "")
        side = sides.get(id(pair))
        if side is None:
            out = leaving[source]
            into = arriving[step["to"]]
            x1 = start.x + BOX_WIDTH * (out.index(pair) + 1) / (len(out) + 1)
            y1 = start.y + BOX_HEIGHT
            x2 = end.x + BOX_WIDTH * (into.index(pair) + 1) / (len(into) + 1)
            y2 = end.y - 2
            path = f"M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}"
            edges.append(Edge(label, path, (x1 + x2) / 2, (y1 + y2) / 2))
            forward.append((edges[-1], x1, y1, x2, y2))
            continue
        lanes[side] += 1
        k = lanes[side]
        y1 = start.y + BOX_HEIGHT / 2 + 6 * (k % 3 - 1)
        above = end.y - 10 - 6 * ((k - 1) % 4)
        if side == "left":
            x1, lane = start.x, left_room + MARGIN - 14 * k
            into_x = end.x + 14 + 12 * ((k - 1) % 4)
            anchor, label_x = "end", lane - 4
        else:
            x1 = start.x + BOX_WIDTH
            lane = left_room + MARGIN + row_width + 14 * k
            into_x = end.x + BOX_WIDTH - 14 - 12 * ((k - 1) % 4)
            anchor, label_x = "start", lane + 4
        path = f"M{x1:.1f},{y1:.1f} H{lane:.1f} V{above:.1f} H{into_x:.1f} V{end.y - 2:.1f}"
        edges.append(Edge(label, path, label_x, (y1 + above) / 2 + 4, anchor))
    _place_labels(forward)
    height = TOP_ROOM + MARGIN * 2 + len(rows) * BOX_HEIGHT + max(len(rows) - 1, 0) * GAP_Y
    right_room = CURVE_ROOM if lanes["right"] else 0
    width = left_room + MARGIN * 2 + row_width + right_room
    return Diagram(nodes=list(nodes.values()), edges=edges, width=width, height=height)


def _half_width(label):
    return min(len(label), LABEL_CHARS) * CHAR_WIDTH / 2


def _place_labels(forward):
    """Stand each forward step's label on its own line at a height of the gap where it does not
    run into another label leaving the same row (several steps often cross one gap); a label
    that fits nowhere stays at the middle of its line."""
    placed: dict = {}  # (upper edge y, slot) -> [(x, half width)]
    for edge, x1, y1, x2, y2 in sorted(forward, key=lambda f: (f[2], f[0].label_x)):
        half = _half_width(edge.label)
        for slot in LABEL_SLOTS:
            y = y1 + slot
            x = x1 + (x2 - x1) * (y - y1) / (y2 - y1) if y2 != y1 else (x1 + x2) / 2
            others = placed.setdefault((y1, slot), [])
            if all(abs(x - ox) >= half + other + 6 for ox, other in others):
                others.append((x, half))
                edge.label_x, edge.label_y = x, y + 4  # the baseline, a little below the point
                break
