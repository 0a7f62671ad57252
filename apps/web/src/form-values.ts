export type Values = Record<string, unknown>;

/**
 * The form's values as the API expects them: dotted names become nested objects, empty text is
 * left out (optional fields), `data-kind="bool"` checkboxes are booleans, `data-kind="list"` checkbox
 * groups and multiple selects are arrays, `data-kind="lines"` text areas are arrays of lines.
 */
export function readForm(form: HTMLFormElement): Values {
  const values: Values = {};
  for (const element of Array.from(form.elements)) {
    if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement)) continue;
    if (!element.name || element.disabled || (element instanceof HTMLInputElement && element.type === 'file')) continue;
    const kind = element.dataset.kind;
    let value: unknown;
    if (element instanceof HTMLInputElement && element.type === 'checkbox') {
      if (kind === 'list') {
        const list = (getPath(values, element.name) as unknown[] | undefined) ?? [];
        if (element.checked) list.push(element.value);
        value = list;
      } else value = element.checked;
    } else if (element instanceof HTMLInputElement && element.type === 'radio') {
      if (!element.checked) continue;
      value = element.value;
    } else if (element instanceof HTMLSelectElement && element.multiple) {
      value = Array.from(element.selectedOptions).map((o) => o.value);
    } else if (kind === 'lines') {
      value = element.value.split('\n').map((l) => l.trim()).filter(Boolean);
    } else if (kind === 'datetime') {
      value = element.value ? new Date(element.value).toISOString() : undefined;
    } else {
      value = element.value.trim() === '' ? undefined : element.value;
    }
    if (value !== undefined) setPath(values, element.name, value);
  }
  return values;
}

function getPath(target: Values, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Values)[key] : undefined), target);
}

function setPath(target: Values, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Values;
  node[keys[keys.length - 1]] = value;
}

/** The multipart body of an upload: every named field of the form as text, the file as `file`. */
export function formData(form: HTMLFormElement): FormData {
  const data = new FormData();
  for (const element of Array.from(form.elements)) {
    if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement) || !element.name || element.disabled) continue;
    if (element instanceof HTMLInputElement && element.type === 'file') {
      if (element.files?.[0]) data.append(element.name, element.files[0]);
    } else if (element instanceof HTMLInputElement && element.type === 'checkbox') {
      data.append(element.name, String(element.checked));
    } else if (element.value.trim() !== '') {
      data.append(element.name, element.value);
    }
  }
  return data;
}
