// A brush over an uploaded picture: paint the area the mask marks, erase to undo.
import { useEffect, useRef, useState } from "preact/hooks";
import { useT, type MessageKey } from "../i18n";
import { FieldError } from "./Field";
import { drawSavedMask, maskSize, overlayToMask, PAINT_COLOR } from "./mask";
import { loadImage } from "./read-image";

interface MaskPainterProps {
  /** target: paint = repaint, erase = keep; source: paint = ignore, erase = take. */
  role: "target" | "source";
  image: string;
  /** The mask painted so far (the form keeps it; a new picture clears it there). */
  mask: string | undefined;
  error: string | undefined;
  onChange: (mask: string | undefined) => void;
}

type Tool = "paint" | "erase";

export function MaskPainter({ role, image, mask, error, onChange }: MaskPainterProps) {
  const t = useT();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [tool, setTool] = useState<Tool>("paint");
  const [brush, setBrush] = useState(48);
  // The canvas appears once the picture's size is known, so no stroke is lost to a resize.
  // The size is kept with its picture: a late load of an earlier picture cannot set it.
  const [stage, setStage] = useState<{ image: string; width: number; height: number }>();
  const size = stage?.image === image ? stage : undefined;
  const drawing = useRef(false);
  // Read when the canvas appears, not on each stroke (the canvas already shows those).
  const savedMask = useRef(mask);
  savedMask.current = mask;
  const name = `mask-${role}`;

  useEffect(() => {
    let current = true;
    loadImage(image).then(
      (picture) => {
        if (current) setStage({ image, ...maskSize(picture.naturalWidth, picture.naturalHeight) });
      },
      () => undefined, // unreadable: no canvas; the image field says so
    );
    return () => {
      current = false;
    };
  }, [image]);

  // A new canvas (the page was left and opened again) shows the mask painted before.
  useEffect(() => {
    const saved = savedMask.current;
    const target = canvas.current;
    if (!size || !saved || !target) return;
    let current = true;
    loadImage(saved).then(
      (picture) => {
        if (current) drawSavedMask(picture, target);
      },
      () => undefined, // our own PNG: cannot fail to decode
    );
    return () => {
      current = false;
    };
  }, [size]);

  // No mask in the form (cleared, or the same picture chosen again): none on the canvas.
  useEffect(() => {
    const target = canvas.current;
    if (mask === undefined) target?.getContext("2d")?.clearRect(0, 0, target.width, target.height);
  }, [mask]);

  const dab = (event: PointerEvent) => {
    const target = canvas.current;
    const context = target?.getContext("2d");
    if (!target || !context) return;
    const box = target.getBoundingClientRect();
    const scale = target.width / box.width;
    const x = (event.clientX - box.left) * scale;
    const y = (event.clientY - box.top) * scale;
    context.globalCompositeOperation = tool === "paint" ? "source-over" : "destination-out";
    context.fillStyle = PAINT_COLOR;
    context.beginPath();
    context.arc(x, y, (brush / 2) * scale, 0, Math.PI * 2);
    context.fill();
  };
  const finish = () => {
    if (!drawing.current || !canvas.current) return;
    drawing.current = false;
    onChange(overlayToMask(canvas.current));
  };
  const clear = () => {
    onChange(undefined);
  };

  return (
    <fieldset class={`mask-painter${error ? " has-error" : ""}`}>
      <legend>{t(`mask.${role}`)}</legend>
      <div class="mask-stage">
        <img src={image} alt="" />
        {size && (
          <canvas
            ref={canvas}
            key={image}
            width={size.width}
            height={size.height}
            data-mask={role}
            onPointerDown={(event) => {
              drawing.current = true;
              event.currentTarget.setPointerCapture(event.pointerId);
              dab(event);
            }}
            onPointerMove={(event) => {
              if (drawing.current) dab(event);
            }}
            onPointerUp={finish}
            onPointerCancel={finish}
          />
        )}
      </div>
      <div class="mask-tools" role="radiogroup" aria-label={t("mask.tool")}>
        {(["paint", "erase"] as const).map((choice) => (
          <label key={choice}>
            <input
              type="radio"
              name={name}
              checked={tool === choice}
              onChange={() => {
                setTool(choice);
              }}
            />{" "}
            {t(`mask.${choice}.${role}` as MessageKey)}
          </label>
        ))}
        <label>
          {t("mask.brush")}{" "}
          <input
            type="range"
            min={4}
            max={160}
            value={brush}
            onInput={(event) => {
              setBrush(Number(event.currentTarget.value));
            }}
          />
        </label>
        <button type="button" onClick={clear}>
          {t("mask.clear")}
        </button>
      </div>
      <p class="hint">{t(mask ? "mask.some" : "mask.none")}</p>
      <FieldError id={`${name}-error`} error={error} />
    </fieldset>
  );
}
