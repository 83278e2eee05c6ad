// A brush over an uploaded picture: paint the area the mask marks, erase to undo.
import { useEffect, useRef, useState } from "preact/hooks";
import { useT, type MessageKey } from "../i18n";
import { maskSize, overlayToMask, PAINT_COLOR } from "./mask";

interface MaskPainterProps {
  /** target: paint = repaint, erase = keep; source: paint = ignore, erase = take. */
  role: "target" | "source";
  image: string;
  hasMask: boolean;
  onChange: (mask: string | undefined) => void;
}

type Tool = "paint" | "erase";

export function MaskPainter({ role, image, hasMask, onChange }: MaskPainterProps) {
  const t = useT();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [tool, setTool] = useState<Tool>("paint");
  const [brush, setBrush] = useState(48);
  // The canvas appears once the picture's size is known, so no stroke is lost to a resize.
  const [size, setSize] = useState<{ width: number; height: number }>();
  const drawing = useRef(false);
  const name = `mask-${role}`;

  // A new picture starts a new, empty mask at its aspect ratio.
  useEffect(() => {
    const picture = new Image();
    picture.onload = () => {
      setSize(maskSize(picture.naturalWidth, picture.naturalHeight));
      onChange(undefined);
    };
    picture.src = image;
    // onChange is recreated by each parent render; only a new image resets the mask.
  }, [image]);

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
    const target = canvas.current;
    target?.getContext("2d")?.clearRect(0, 0, target.width, target.height);
    onChange(undefined);
  };

  return (
    <fieldset class="mask-painter">
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
      <p class="hint">{t(hasMask ? "mask.some" : "mask.none")}</p>
    </fieldset>
  );
}
