// Layout probe for `repcount report` pages, put into a copy of a report (never the report itself)
// by ReportBrowserIntegrationTests. Once the page has loaded, it measures what the browser laid
// out and writes the findings as base64 JSON into a hidden <pre id="layout-probe"> that
// `chromium-headless-shell --dump-dom` prints. Geometry is in CSS pixels, page coordinates.
(function () {
  // Tolerance for sub-pixel rounding, in CSS pixels.
  const slack = 0.5;

  function box(element) {
    const r = element.getBoundingClientRect();
    return {
      left: r.left + window.scrollX, top: r.top + window.scrollY,
      right: r.right + window.scrollX, bottom: r.bottom + window.scrollY,
      width: r.width, height: r.height,
    };
  }
  function inside(inner, outer) {
    return inner.left >= outer.left - slack && inner.right <= outer.right + slack
      && inner.top >= outer.top - slack && inner.bottom <= outer.bottom + slack;
  }
  function overlap(a, b) {
    const width = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const height = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return width > slack && height > slack;
  }
  function round(b) {
    return [b.left, b.top, b.width, b.height].map(v => Math.round(v * 10) / 10).join(',');
  }
  function describe(element) {
    let name = element.tagName.toLowerCase();
    if (element.id) name += '#' + element.id;
    const cls = element.getAttribute('class');
    if (cls) name += '.' + cls.trim().split(/\s+/).join('.');
    const text = (element.textContent || '').trim().replace(/\s+/g, ' ');
    if (text && element.children.length === 0) name += ' "' + text.slice(0, 40) + '"';
    return name;
  }
  // The chart an element belongs to, for messages.
  function chartName(svg) {
    return svg.id || svg.getAttribute('aria-label') || 'svg';
  }

  function measure() {
    const page = document.documentElement;
    const width = page.clientWidth;
    const result = {
      viewport: { width: window.innerWidth, height: window.innerHeight, scale: window.devicePixelRatio },
      document: { width: page.scrollWidth, height: page.scrollHeight },
      fetched: performance.getEntriesByType('resource').map(entry => entry.name),
      overflowing: [],
      charts: [],
    };
    // Anything reaching past the page's right or left edge (the page would scroll sideways);
    // only the outermost such element is named, not everything inside it.
    const sticking = new Set();
    for (const element of document.body.querySelectorAll('*')) {
      if (element.closest('svg') && element.tagName.toLowerCase() !== 'svg') continue;
      const b = box(element);
      if (b.width === 0 && b.height === 0) continue;
      if (b.right > width + slack || b.left < -slack) {
        sticking.add(element);
        if (sticking.has(element.parentElement)) continue;
        result.overflowing.push(describe(element) + ' spans x ' + Math.round(b.left) + '…'
          + Math.round(b.right) + ' of a ' + width + ' px page');
      }
    }
    for (const svg of document.querySelectorAll('body svg')) {
      const chart = box(svg);
      const plots = Array.from(svg.querySelectorAll('.plot')).map(box);
      const labels = Array.from(svg.querySelectorAll('text'));
      const labelBoxes = labels.map(box);
      const problems = { labelOverlaps: [], labelsOutside: [], marksOutside: [] };
      let smallestLabel = Infinity;
      labels.forEach((label, index) => {
        const size = parseFloat(getComputedStyle(label).fontSize) * label.getScreenCTM().a;
        smallestLabel = Math.min(smallestLabel, size);
        if (!inside(labelBoxes[index], chart)) {
          problems.labelsOutside.push(describe(label) + ' at ' + round(labelBoxes[index]));
        }
        for (let other = index + 1; other < labels.length; other++) {
          if (overlap(labelBoxes[index], labelBoxes[other])) {
            problems.labelOverlaps.push(describe(label) + ' at ' + round(labelBoxes[index])
              + ' overlaps ' + describe(labels[other]) + ' at ' + round(labelBoxes[other]));
          }
        }
      });
      // Repetition marks: bands and bars lie wholly in a plot area, trend points are centred
      // in one and stay within the chart.
      const marks = Array.from(svg.querySelectorAll('.rep-band, .bar, .trend-point'));
      for (const mark of marks) {
        const b = box(mark);
        const isPoint = mark.classList.contains('trend-point');
        const centre = {
          left: (b.left + b.right) / 2, right: (b.left + b.right) / 2,
          top: (b.top + b.bottom) / 2, bottom: (b.top + b.bottom) / 2,
        };
        const placed = isPoint
          ? plots.some(plot => inside(centre, plot)) && inside(b, chart)
          : plots.some(plot => inside(b, plot));
        if (!placed) {
          const title = mark.querySelector('title');
          problems.marksOutside.push(describe(mark) + (title ? ' (' + title.textContent + ')' : '')
            + ' at ' + round(b));
        }
      }
      result.charts.push({
        name: chartName(svg),
        kind: svg.id === 'signal' || svg.id === 'trend' ? svg.id : (svg.classList.contains('bars') ? 'bars' : 'other'),
        left: chart.left, top: chart.top, width: chart.width, height: chart.height,
        labels: labels.length, smallestLabelPixels: labels.length ? smallestLabel : 0,
        marks: marks.length,
        // Points on each line (the trend's exercises).
        lines: Array.from(svg.querySelectorAll('polyline.trend-line'))
          .map(line => line.points.numberOfItems),
        labelOverlaps: problems.labelOverlaps, labelsOutside: problems.labelsOutside,
        marksOutside: problems.marksOutside,
      });
    }
    const output = document.createElement('pre');
    output.id = 'layout-probe';
    output.style.display = 'none';
    output.textContent = btoa(unescape(encodeURIComponent(JSON.stringify(result))));
    document.body.appendChild(output);
  }

  window.addEventListener('load', measure);
})();
