"""Draws a page of related companies as an SVG graph: the company at the centre, its partners on rings by hops.

Every company of a kept path is drawn, the partners of the page and the
companies their paths pass through (those by SIREN only). A hop is a line as
wide as its weight, dashed when it goes through a shared person or group. A
partner is coloured by its latest p12 only where ``relatedCompanies`` returned
it (the doctrine granted it to the caller and it was audited); otherwise grey.
Nothing is drawn that the GraphQL answer for the same caller does not hold.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from graph_api.exposure.types import RelatedCompanies
from graph_api.search.types import CompanyIdentity

P12_SCALE = 0.3
"""The p12 drawn darkest (the colour scale runs from 0 to this)."""
_LABEL = 26

# Text stays text in the SVG (searchable, smaller); set once, as the figures are drawn in threads.
matplotlib.rcParams["svg.fonttype"] = "none"


@dataclass
class _Node:
    siren: str
    level: int
    children: list[str] = field(default_factory=list)
    angle: float = 0.0


def _label(identity: CompanyIdentity | None, siren: str) -> str:
    name = (identity.name or "") if identity else ""
    name = name if len(name) <= _LABEL else name[: _LABEL - 1] + "…"
    return f"{name}\n{siren}" if name else siren


def exposure_svg(origin: CompanyIdentity, related: RelatedCompanies, max_hops: int, fmt: str = "svg") -> bytes:
    """The drawing of ``related`` around ``origin``.

    Args:
        origin: the company asked about.
        related: the page, with its paths (``related.page(..., with_paths=True)``).
        max_hops: the hops asked for (the number of rings).
        fmt: ``svg``, or any other format matplotlib writes (``png`` for documents).
    """
    nodes: dict[str, _Node] = {origin.siren: _Node(origin.siren, 0)}
    weight: dict[tuple[str, str], tuple[float, bool]] = {}
    for item in related.items:
        for level, hop in enumerate(item.path, start=1):
            if hop.to_siren not in nodes:
                nodes[hop.to_siren] = _Node(hop.to_siren, level)
                nodes[hop.from_siren].children.append(hop.to_siren)
            weight[(hop.from_siren, hop.to_siren)] = (hop.weight, hop.via is not None)
    _place(nodes, origin.siren)

    fig = Figure(figsize=(9, 9))
    FigureCanvasSVG(fig) if fmt == "svg" else FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_aspect("equal")
    ax.axis("off")
    colours = matplotlib.colormaps["Reds"]
    for ring in range(1, max_hops + 1):
        ax.add_patch(Circle((0, 0), ring, fill=False, color="#dddddd", lw=0.8))

    def xy(siren: str) -> tuple[float, float]:
        n = nodes[siren]
        return n.level * math.cos(n.angle), n.level * math.sin(n.angle)

    for (a, b), (w, via) in weight.items():
        (x0, y0), (x1, y1) = xy(a), xy(b)
        ax.plot([x0, x1], [y0, y1], color="#555555", lw=0.5 + 4 * w, ls="--" if via else "-", zorder=1)
    by_siren = {i.company.siren: i for i in related.items}
    for siren, n in nodes.items():
        x, y = xy(siren)
        found = by_siren.get(siren)
        colour: str | tuple[float, float, float, float]
        size: float
        if n.level == 0:
            colour, size, text = "#000000", 260, _label(origin, siren)
        elif found is None:  # a company a kept path passes through, outside the page
            colour, size, text = "#ffffff", 60, siren
        else:
            p12 = found.partner_p12
            colour = colours(min(p12 / P12_SCALE, 1.0) * 0.85 + 0.15) if p12 is not None else "#bbbbbb"
            size = 80 + 400 * found.dependency
            text = _label(found.company, siren) + (f"\np12 {100 * p12:.1f} %" if p12 is not None else "")
        ax.scatter([x], [y], s=size, c=[colour], edgecolors="#333333", linewidths=0.8, zorder=2)
        # labels point away from the centre, so that a ring's labels do not sit on its lines
        cos, sin = (math.cos(n.angle), math.sin(n.angle)) if n.level else (0.0, 1.0)
        ha = "left" if cos > 0.3 else "right" if cos < -0.3 else "center"
        ax.annotate(text, (x, y), xytext=(9 * cos, 9 * sin), textcoords="offset points", ha=ha,
                    va="bottom" if sin >= 0 else "top", fontsize=6, zorder=3)  # fmt: skip
    ax.set_title(
        f"{origin.name or origin.siren} ({origin.siren}): {len(related.items)} most exposed of "
        f"{related.total_count} related companies within {max_hops} hop{'s' if max_hops > 1 else ''}\n"
        f"red: partner's p12 (up to {100 * P12_SCALE:.0f} %), grey: score not granted; "
        "line width: hop weight; dashed: shared person or group",
        fontsize=8,
    )
    lim = max(n.level for n in nodes.values()) + 0.9
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    out = io.BytesIO()
    fig.savefig(out, format=fmt, bbox_inches="tight", dpi=110)
    return out.getvalue()


def _place(nodes: dict[str, _Node], root: str) -> None:
    """Angles: the leaves evenly round the circle in tree order, each inner node at its leaves' middle."""
    leaves: list[str] = []

    def walk(siren: str) -> None:
        children = sorted(nodes[siren].children)
        if not children and siren != root:
            leaves.append(siren)
        for c in children:
            walk(c)

    walk(root)
    step = 2 * math.pi / max(len(leaves), 1)
    for k, siren in enumerate(leaves):
        nodes[siren].angle = k * step

    def settle(siren: str) -> list[float]:
        n = nodes[siren]
        if not n.children:
            return [n.angle]
        angles = [a for c in n.children for a in settle(c)]
        # the middle of the children's angles, taken on the circle (they may straddle 0)
        n.angle = math.atan2(sum(math.sin(a) for a in angles), sum(math.cos(a) for a in angles))
        return angles

    settle(root)
