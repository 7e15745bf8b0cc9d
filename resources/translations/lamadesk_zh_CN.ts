<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
  <context>
    <name>BatchPanel</name>
    <message>
      <source>Double-click a file to open it and draw the mask; the same mask is applied to every file (scaled when sizes differ).</source>
      <translation>双击文件即可打开并涂抹要去除的区域；同一蒙版会应用到列表中的每张图片（尺寸不同时自动缩放）。</translation>
    </message>
    <message>
      <source>Add…</source>
      <translation>添加…</translation>
    </message>
    <message>
      <source>Images…</source>
      <translation>图片…</translation>
    </message>
    <message>
      <source>A folder, with its subfolders…</source>
      <translation>文件夹（含子文件夹）…</translation>
    </message>
    <message>
      <source>Remove selected</source>
      <translation>移出所选</translation>
    </message>
    <message>
      <source>Clear list</source>
      <translation>清空列表</translation>
    </message>
    <message>
      <source>Choose an output folder</source>
      <translation>请选择输出文件夹</translation>
    </message>
    <message>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <source>Save to:</source>
      <translation>保存到：</translation>
    </message>
    <message>
      <source>Current file: %v of %m regions</source>
      <translation>当前文件：%v / %m 个区域</translation>
    </message>
    <message>
      <source>Double-click a file to check the text found in it and brush corrections. Checked files are cleaned; uncheck a file to leave it out.</source>
      <translation>双击文件可查看找到的文字并用画笔修正。勾选的文件会被处理；取消勾选即可跳过该文件。</translation>
    </message>
    <message>
      <source>Remove from all</source>
      <translation>全部消除</translation>
    </message>
    <message>
      <source>Add a folder of images</source>
      <translation>添加图片文件夹</translation>
    </message>
    <message>
      <source>Cancelling…</source>
      <translation>正在取消…</translation>
    </message>
    <message>
      <source>Cancelled</source>
      <translation>已取消</translation>
    </message>
    <message>
      <source>Failed</source>
      <translation>失败</translation>
    </message>
    <message>
      <source>Not started</source>
      <translation>未开始</translation>
    </message>
    <message>
      <source>Skipped: {count} already cleaned</source>
      <translation>已跳过：{count} 个已处理过</translation>
    </message>
    <message>
      <source>Cancelled: {name}</source>
      <translation>已取消：{name}</translation>
    </message>
    <message>
      <source>Not started: {count}</source>
      <translation>未开始：{count}</translation>
    </message>
    <message>
      <source>• {name}: {reason}</source>
      <translation>• {name}：{reason}</translation>
    </message>
    <message>
      <source>Finding text: %v of %m files</source>
      <translation>正在查找文字：%v / %m 个文件</translation>
    </message>
    <message>
      <source>Skipped: already cleaned</source>
      <translation>已跳过：已处理过</translation>
    </message>
    <message>
      <source>Failed: {reason}</source>
      <translation>失败：{reason}</translation>
    </message>
    <message>
      <source>Working… {seconds} s</source>
      <translation>处理中… {seconds} 秒</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>%v of %m files</source>
      <translation>%v / %m 个文件</translation>
    </message>
    <message>
      <source>Waiting</source>
      <translation>等待中</translation>
    </message>
    <message>
      <source>Double-click a file to check the watermark found in it and brush corrections. Checked files are cleaned; uncheck a file to leave it out.</source>
      <translation>双击文件可查看找到的水印并用画笔修正。勾选的文件会被处理；取消勾选即可跳过该文件。</translation>
    </message>
    <message>
      <source>Remove from checked files</source>
      <translation>消除所有勾选文件的水印</translation>
    </message>
    <message>
      <source>Output folder</source>
      <translation>输出文件夹</translation>
    </message>
    <message>
      <source>Add images</source>
      <translation>添加图片</translation>
    </message>
    <message>
      <source>Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff)</source>
      <translation>图片 (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff)</translation>
    </message>
    <message>
      <source>Finding the watermark: %p%</source>
      <translation>正在查找水印：%p%</translation>
    </message>
    <message>
      <source>Done → {name}</source>
      <translation>完成 → {name}</translation>
    </message>
    <message>
      <source>mask scaled</source>
      <translation>蒙版已缩放</translation>
    </message>
    <message>
      <source>{done} of {total} files cleaned in {seconds:.1f} s.</source>
      <translation>已处理 {done}/{total} 个文件，用时 {seconds:.1f} 秒。</translation>
    </message>
    <message>
      <source>Failed:</source>
      <translation>失败：</translation>
    </message>
  </context>
  <context>
    <name>CompileController</name>
    <message>
      <source>Not available here: {reason}</source>
      <translation>此处不可用：{reason}</translation>
    </message>
    <message>
      <source>Waiting for the model to load…</source>
      <translation>正在等待模型加载…</translation>
    </message>
    <message>
      <source>On: each new image size is compiled in the background the first time it is used (about a minute, seconds once cached); removals run uncompiled meanwhile.</source>
      <translation>已开启：每种新的图片尺寸第一次使用时会在后台编译（约一分钟，有缓存时只需几秒）；编译期间仍以未编译的模型消除。</translation>
    </message>
    <message>
      <source>Speeding up for {size} in the background…</source>
      <translation>正在后台为 {size} 加速…</translation>
    </message>
    <message>
      <source>Speed-up ready for {size} (compiled in {seconds:.0f} s).</source>
      <translation>{size} 的加速已就绪（编译用时 {seconds:.0f} 秒）。</translation>
    </message>
    <message>
      <source>Compiling in the background stopped; the model runs uncompiled ({detail}).</source>
      <translation>后台编译已停止；模型以未编译方式运行（{detail}）。</translation>
    </message>
    <message>
      <source>Could not compile for {size}; it keeps running uncompiled ({detail}).</source>
      <translation>无法为 {size} 编译；该尺寸继续以未编译方式运行（{detail}）。</translation>
    </message>
    <message>
      <source>Off: the model runs uncompiled.</source>
      <translation>已关闭：模型以未编译方式运行。</translation>
    </message>
    <message>
      <source>only the LaMa model with lamadesk's own engine can be compiled</source>
      <translation>只有使用 lamadesk 自带引擎的 LaMa 模型才能编译</translation>
    </message>
    <message>
      <source>the model runs on the CPU; compiling only pays off on an NVIDIA GPU</source>
      <translation>模型在 CPU 上运行；编译只在 NVIDIA 显卡上才有收益</translation>
    </message>
    <message>
      <source>the downloaded app has no compiler; lamadesk installed with pip can compile</source>
      <translation>下载的打包版没有编译器；用 pip 安装的 lamadesk 才能编译</translation>
    </message>
    <message>
      <source>the Triton package is not installed (compiling needs it)</source>
      <translation>未安装 Triton 包（编译需要它）</translation>
    </message>
    <message>
      <source>no C compiler was found (Triton needs gcc or clang)</source>
      <translation>未找到 C 编译器（Triton 需要 gcc 或 clang）</translation>
    </message>
    <message>
      <source>the Python development headers are missing (Triton needs them)</source>
      <translation>缺少 Python 开发头文件（Triton 需要它们）</translation>
    </message>
  </context>
  <context>
    <name>DevicePanel</name>
    <message>
      <source>Device:</source>
      <translation>设备：</translation>
    </message>
    <message>
      <source>GPU:</source>
      <translation>显卡：</translation>
    </message>
    <message>
      <source>Video memory (total):</source>
      <translation>显存（总计）：</translation>
    </message>
    <message>
      <source>Video memory (free):</source>
      <translation>显存（可用）：</translation>
    </message>
    <message>
      <source>Compute capability:</source>
      <translation>计算能力：</translation>
    </message>
    <message>
      <source>CUDA version of PyTorch:</source>
      <translation>PyTorch 的 CUDA 版本：</translation>
    </message>
    <message>
      <source>NVIDIA driver:</source>
      <translation>NVIDIA 驱动：</translation>
    </message>
    <message>
      <source>PyTorch:</source>
      <translation>PyTorch：</translation>
    </message>
    <message>
      <source>Copy diagnostics</source>
      <translation>复制诊断信息</translation>
    </message>
    <message>
      <source>Check again</source>
      <translation>重新检测</translation>
    </message>
    <message>
      <source>Automatic (best available)</source>
      <translation>自动（选择最佳设备）</translation>
    </message>
    <message>
      <source>GPU {index}: {name}</source>
      <translation>显卡 {index}：{name}</translation>
    </message>
    <message>
      <source>CPU</source>
      <translation>CPU</translation>
    </message>
    <message>
      <source>Checking devices…</source>
      <translation>正在检测设备…</translation>
    </message>
    <message>
      <source>no NVIDIA GPU found</source>
      <translation>未找到 NVIDIA 显卡</translation>
    </message>
    <message>
      <source>none (CPU-only build)</source>
      <translation>无（仅 CPU 版本）</translation>
    </message>
    <message>
      <source>not found</source>
      <translation>未找到</translation>
    </message>
    <message>
      <source>cannot be loaded: {error}</source>
      <translation>无法加载：{error}</translation>
    </message>
    <message>
      <source>Copied</source>
      <translation>已复制</translation>
    </message>
  </context>
  <context>
    <name>DeviceTexts</name>
    <message>
      <source>Using CUDA on {gpu} ({device})</source>
      <translation>正在 {gpu}（{device}）上使用 CUDA</translation>
    </message>
    <message>
      <source>Using the Apple GPU (mps)</source>
      <translation>正在使用 Apple GPU (mps)</translation>
    </message>
    <message>
      <source>the CPU was requested</source>
      <translation>已选择使用 CPU</translation>
    </message>
    <message>
      <source>mps was requested but the Apple GPU (MPS) is not available</source>
      <translation>已选择 mps，但 Apple GPU (MPS) 不可用</translation>
    </message>
    <message>
      <source>no GPU is usable</source>
      <translation>没有可用的显卡</translation>
    </message>
    <message>
      <source>Using CPU because {reason}.</source>
      <translation>正在使用 CPU，因为{reason}。</translation>
    </message>
    <message>
      <source> Fix: {fix}.</source>
      <translation>解决办法：{fix}。</translation>
    </message>
    <message>
      <source>use the lamadesk download built for {tag} ({install_download})</source>
      <translation>改用为 {tag} 构建的 lamadesk 下载包（{install_download}）</translation>
    </message>
    <message>
      <source>install the PyTorch build for {tag}: {install_command}</source>
      <translation>安装 {tag} 版 PyTorch：{install_command}</translation>
    </message>
    <message>
      <source>PyTorch cannot be loaded ({error})</source>
      <translation>无法加载 PyTorch（{error}）</translation>
    </message>
    <message>
      <source>install the Microsoft Visual C++ Redistributable (x64) from {vc_redist_url} and restart lamadesk; if the error stays, reinstall PyTorch: {command} (or reinstall lamadesk)</source>
      <translation>从 {vc_redist_url} 安装 Microsoft Visual C++ 可再发行组件 (x64) 并重启 lamadesk；如果错误仍在，请重新安装 PyTorch：{command}（或重新安装 lamadesk）</translation>
    </message>
    <message>
      <source>reinstall PyTorch: {command} (or reinstall lamadesk)</source>
      <translation>重新安装 PyTorch：{command}（或重新安装 lamadesk）</translation>
    </message>
    <message>
      <source>choose the device 'mps' to try the Apple GPU</source>
      <translation>选择设备“mps”以试用 Apple GPU</translation>
    </message>
    <message>
      <source>CUDA does not exist on macOS</source>
      <translation>macOS 上没有 CUDA</translation>
    </message>
    <message>
      <source>this PyTorch ({torch_version}) is a CPU-only build</source>
      <translation>此 PyTorch（{torch_version}）是仅 CPU 版本</translation>
    </message>
    <message>
      <source>runs on the CPU; nothing to fix</source>
      <translation>在 CPU 上运行，无需修复</translation>
    </message>
    <message>
      <source>runs on the CPU; nothing to fix (optional: the CPU-only PyTorch saves about 4 GB: {cpu_torch_command})</source>
      <translation>在 CPU 上运行，无需修复（可选：换用仅 CPU 版 PyTorch 可节省约 4 GB：{cpu_torch_command}）</translation>
    </message>
    <message>
      <source>there is no NVIDIA GPU in this computer</source>
      <translation>这台电脑没有 NVIDIA 显卡</translation>
    </message>
    <message>
      <source>the NVIDIA driver is installed but not working ({driver_error})</source>
      <translation>NVIDIA 驱动已安装但无法工作（{driver_error}）</translation>
    </message>
    <message>
      <source>reinstall the NVIDIA driver ({minimum} or newer for CUDA {cuda_version}) from {url} and restart</source>
      <translation>从 {url} 重新安装 NVIDIA 驱动（CUDA {cuda_version} 需要 {minimum} 或更新版本）并重启</translation>
    </message>
    <message>
      <source>reinstall the NVIDIA driver from {url} and restart</source>
      <translation>从 {url} 重新安装 NVIDIA 驱动并重启</translation>
    </message>
    <message>
      <source>this computer has an NVIDIA GPU, but its driver is not installed</source>
      <translation>这台电脑有 NVIDIA 显卡，但未安装其驱动</translation>
    </message>
    <message>
      <source>no NVIDIA driver was found (no NVIDIA GPU, or its driver is not installed)</source>
      <translation>未找到 NVIDIA 驱动（没有 NVIDIA 显卡，或未安装其驱动）</translation>
    </message>
    <message>
      <source>install the NVIDIA driver ({minimum} or newer for CUDA {cuda_version}) from {url} and restart</source>
      <translation>从 {url} 安装 NVIDIA 驱动（CUDA {cuda_version} 需要 {minimum} 或更新版本）并重启</translation>
    </message>
    <message>
      <source>install the NVIDIA driver from {url} and restart</source>
      <translation>从 {url} 安装 NVIDIA 驱动并重启</translation>
    </message>
    <message>
      <source>(version unknown)</source>
      <translation>（版本未知）</translation>
    </message>
    <message>
      <source>the NVIDIA driver {driver_version} is too old for this PyTorch, built with CUDA {cuda_version}, which needs driver {minimum} or newer</source>
      <translation>NVIDIA 驱动 {driver_version} 对此 PyTorch 太旧：它基于 CUDA {cuda_version} 构建，需要 {minimum} 或更新的驱动</translation>
    </message>
    <message>
      <source>the NVIDIA driver {driver_version} is too old for this PyTorch, built with CUDA {cuda_version}</source>
      <translation>NVIDIA 驱动 {driver_version} 对此 PyTorch 太旧（它基于 CUDA {cuda_version} 构建）</translation>
    </message>
    <message>
      <source>update the NVIDIA driver from {url}</source>
      <translation>从 {url} 更新 NVIDIA 驱动</translation>
    </message>
    <message>
      <source>{update}, or {install}</source>
      <translation>{update}，或{install}</translation>
    </message>
    <message>
      <source> (older PyTorch releases only)</source>
      <translation>（仅限较旧的 PyTorch 版本）</translation>
    </message>
    <message>
      <source>CUDA_VISIBLE_DEVICES='{value}' hides every GPU</source>
      <translation>CUDA_VISIBLE_DEVICES='{value}' 隐藏了所有显卡</translation>
    </message>
    <message>
      <source>CUDA_VISIBLE_DEVICES='{value}' hides every GPU (the driver sees 1 GPU)</source>
      <translation>CUDA_VISIBLE_DEVICES='{value}' 隐藏了所有显卡（驱动能看到 1 块显卡）</translation>
    </message>
    <message>
      <source>CUDA_VISIBLE_DEVICES='{value}' hides every GPU (the driver sees {driver_gpu_count} GPUs)</source>
      <translation>CUDA_VISIBLE_DEVICES='{value}' 隐藏了所有显卡（驱动能看到 {driver_gpu_count} 块显卡）</translation>
    </message>
    <message>
      <source>unset CUDA_VISIBLE_DEVICES (or set it to a GPU index such as 0) and restart lamadesk</source>
      <translation>取消设置 CUDA_VISIBLE_DEVICES（或设为 0 等显卡编号）并重启 lamadesk</translation>
    </message>
    <message>
      <source>the GPU {gpu} (compute capability {capability}) is not supported by this PyTorch build, which has kernels for {arch_list}</source>
      <translation>此 PyTorch 版本不支持显卡 {gpu}（计算能力 {capability}），它只含 {arch_list} 的内核</translation>
    </message>
    <message>
      <source>keep using the CPU: current PyTorch CUDA builds need compute capability 5.0+</source>
      <translation>继续使用 CPU：当前的 PyTorch CUDA 版本需要 5.0 及以上的计算能力</translation>
    </message>
    <message>
      <source>CUDA 12.6 is the last with kernels for Maxwell, Pascal and Volta GPUs: {install}</source>
      <translation>CUDA 12.6 是最后一个含 Maxwell、Pascal 和 Volta 显卡内核的版本：{install}</translation>
    </message>
    <message>
      <source>restart the computer (a driver update may be waiting for it); if that does not help, reinstall the NVIDIA driver and PyTorch, and attach the diagnostics when asking</source>
      <translation>重启电脑（可能有驱动更新在等待重启）；如果仍不行，请重新安装 NVIDIA 驱动和 PyTorch，求助时附上诊断信息</translation>
    </message>
    <message>
      <source>CUDA initialisation failed: {error}</source>
      <translation>CUDA 初始化失败：{error}</translation>
    </message>
  </context>
  <context>
    <name>EngineController</name>
    <message>
      <source>Checking devices and loading PyTorch…</source>
      <translation>正在检测设备并加载 PyTorch…</translation>
    </message>
    <message>
      <source>Loading the model on {device}…</source>
      <translation>正在 {device} 上加载模型…</translation>
    </message>
  </context>
  <context>
    <name>ExistingOutputs</name>
    <message>
      <source>Cleaned files already exist</source>
      <translation>已有处理过的文件</translation>
    </message>
    <message>
      <source>{count} of the files to write already exist in {folder}.</source>
      <translation>要写入的文件中有 {count} 个已存在于 {folder}。</translation>
    </message>
    <message>
      <source>Nothing has been processed yet. Replace them, skip the files already cleaned, or choose another folder?</source>
      <translation>尚未处理任何文件。要替换它们、跳过已处理的文件，还是选择其他文件夹？</translation>
    </message>
    <message>
      <source>Overwrite</source>
      <translation>覆盖</translation>
    </message>
    <message>
      <source>Skip existing</source>
      <translation>跳过已有文件</translation>
    </message>
    <message>
      <source>Choose another folder…</source>
      <translation>选择其他文件夹…</translation>
    </message>
  </context>
  <context>
    <name>FileDialogs</name>
    <message>
      <source>Open images</source>
      <translation>打开图片</translation>
    </message>
    <message>
      <source>Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff);;All files (*)</source>
      <translation>图片 (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff);;所有文件 (*)</translation>
    </message>
    <message>
      <source>Open a folder of images</source>
      <translation>打开图片文件夹</translation>
    </message>
  </context>
  <context>
    <name>FindTextController</name>
    <message>
      <source>Open an image first.</source>
      <translation>请先打开一张图片。</translation>
    </message>
    <message>
      <source>Draw a rectangle around the text with the rectangle tool (R) first.</source>
      <translation>请先用矩形工具（R）框住文字。</translation>
    </message>
    <message>
      <source>Looking for text…</source>
      <translation>正在查找文字…</translation>
    </message>
    <message>
      <source>The image changed meanwhile; that search was dropped.</source>
      <translation>图片在此期间已更改；该查找结果已丢弃。</translation>
    </message>
    <message>
      <source>Find text</source>
      <translation>查找文字</translation>
    </message>
    <message>
      <source>No text found. Try a higher sensitivity, or another area to look in.</source>
      <translation>未找到文字。可以调高灵敏度，或换一个查找范围。</translation>
    </message>
    <message>
      <source>{count} text line(s) found in {seconds:.1f} s and masked. Uncheck the lines to keep; press Enter to remove the rest.</source>
      <translation>用时 {seconds:.1f} 秒找到 {count} 行文字并已加上蒙版。取消勾选要保留的行；按回车键消除其余文字。</translation>
    </message>
    <message>
      <source>(OpenCV ran the text detector, as OpenVINO could not: {reason})</source>
      <translation>（文字检测改由 OpenCV 运行，因为 OpenVINO 无法使用：{reason}）</translation>
    </message>
    <message>
      <source>Cannot look for text</source>
      <translation>无法查找文字</translation>
    </message>
    <message>
      <source>Text search cancelled.</source>
      <translation>已取消查找文字。</translation>
    </message>
    <message>
      <source>Keep text line</source>
      <translation>保留文字行</translation>
    </message>
    <message>
      <source>Drop text line</source>
      <translation>舍弃文字行</translation>
    </message>
    <message>
      <source>Keep all text lines</source>
      <translation>保留全部文字行</translation>
    </message>
    <message>
      <source>Drop all text lines</source>
      <translation>舍弃全部文字行</translation>
    </message>
    <message>
      <source>{kept} of {total} text lines masked.</source>
      <translation>{total} 行文字中有 {kept} 行已加上蒙版。</translation>
    </message>
    <message>
      <source>No text found.</source>
      <translation>未找到文字。</translation>
    </message>
  </context>
  <context>
    <name>Help</name>
    <message>
      <source>No file manager could be started; the log is in {folder}</source>
      <translation>无法启动文件管理器；日志位于 {folder}</translation>
    </message>
    <message>
      <source>About lamadesk</source>
      <translation>关于 lamadesk</translation>
    </message>
    <message>
      <source>not loaded yet</source>
      <translation>尚未加载</translation>
    </message>
    <message>
      <source>installed</source>
      <translation>已安装</translation>
    </message>
    <message>
      <source>not installed</source>
      <translation>未安装</translation>
    </message>
    <message>
      <source>A desktop watermark and object remover built on {lama}.</source>
      <translation>基于 {lama} 的桌面水印与物体去除工具。</translation>
    </message>
    <message>
      <source>Device: {device}</source>
      <translation>设备：{device}</translation>
    </message>
    <message>
      <source>not checked yet</source>
      <translation>尚未检测</translation>
    </message>
    <message>
      <source>Removing with: {model}</source>
      <translation>去除方式：{model}</translation>
    </message>
    <message>
      <source>LaMa model: {state}</source>
      <translation>LaMa 模型：{state}</translation>
    </message>
    <message>
      <source>Licence: {licence}</source>
      <translation>许可证：{licence}</translation>
    </message>
    <message>
      <source>PyTorch: not checked yet</source>
      <translation>PyTorch：尚未检测</translation>
    </message>
    <message>
      <source>PyTorch cannot be loaded ({error})</source>
      <translation>无法加载 PyTorch（{error}）</translation>
    </message>
    <message>
      <source>PyTorch {version}, CUDA {cuda}</source>
      <translation>PyTorch {version}，CUDA {cuda}</translation>
    </message>
    <message>
      <source>PyTorch {version}, CPU-only build</source>
      <translation>PyTorch {version}，仅 CPU 版本</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>&amp;Open…</source>
      <translation>打开(&amp;O)…</translation>
    </message>
    <message>
      <source>Open &amp;Folder…</source>
      <translation>打开文件夹(&amp;F)…</translation>
    </message>
    <message>
      <source>&amp;Paste Image</source>
      <translation>粘贴图片(&amp;P)</translation>
    </message>
    <message>
      <source>Import &amp;Mask…</source>
      <translation>导入蒙版(&amp;M)…</translation>
    </message>
    <message>
      <source>&amp;Save</source>
      <translation>保存(&amp;S)</translation>
    </message>
    <message>
      <source>Save &amp;As…</source>
      <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
      <source>&amp;Settings…</source>
      <translation>设置(&amp;S)…</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <source>&amp;Undo</source>
      <translation>撤销(&amp;U)</translation>
    </message>
    <message>
      <source>&amp;Redo</source>
      <translation>重做(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Clear Mask</source>
      <translation>清除涂抹(&amp;C)</translation>
    </message>
    <message>
      <source>Find &amp;Text</source>
      <translation>查找文字(&amp;T)</translation>
    </message>
    <message>
      <source>&amp;Brush</source>
      <translation>画笔(&amp;B)</translation>
    </message>
    <message>
      <source>&amp;Eraser</source>
      <translation>橡皮擦(&amp;E)</translation>
    </message>
    <message>
      <source>&amp;Rectangle</source>
      <translation>矩形(&amp;R)</translation>
    </message>
    <message>
      <source>Smaller Brush</source>
      <translation>缩小画笔</translation>
    </message>
    <message>
      <source>Larger Brush</source>
      <translation>放大画笔</translation>
    </message>
    <message>
      <source>&amp;Fit to Window</source>
      <translation>适合窗口(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Actual Size (100%)</source>
      <translation>实际大小 (100%)(&amp;A)</translation>
    </message>
    <message>
      <source>Show &amp;Original</source>
      <translation>查看原图(&amp;O)</translation>
    </message>
    <message>
      <source>Remove</source>
      <translation>消除</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>&amp;Batch Panel</source>
      <translation>批量处理面板(&amp;B)</translation>
    </message>
    <message>
      <source>&amp;Keyboard Shortcuts</source>
      <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
      <source>Open &amp;Log Folder</source>
      <translation>打开日志文件夹(&amp;L)</translation>
    </message>
    <message>
      <source>&amp;About lamadesk</source>
      <translation>关于 lamadesk(&amp;A)</translation>
    </message>
    <message>
      <source>Find captions and date stamps and mask their letters (Ctrl+T)</source>
      <translation>查找说明文字和日期戳，并给其字迹加上蒙版（Ctrl+T）</translation>
    </message>
    <message>
      <source>Show Original</source>
      <translation>查看原图</translation>
    </message>
    <message>
      <source>Open &amp;Recent</source>
      <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
      <source>Remove the painted area (Enter)</source>
      <translation>消除涂抹区域（回车）</translation>
    </message>
    <message>
      <source>Show the original image (or hold \)</source>
      <translation>查看原图（或按住 \ 键）</translation>
    </message>
    <message>
      <source>Brush size ([ and ])</source>
      <translation>画笔大小（[ 和 ] 键）</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Edit</source>
      <translation>编辑(&amp;E)</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <source>Tools</source>
      <translation>工具</translation>
    </message>
    <message>
      <source>Size</source>
      <translation>大小</translation>
    </message>
    <message>
      <source>Drop an image here, or open one with Ctrl+O.
Paint over what should disappear, then press Enter.</source>
      <translation>把图片拖到这里，或按 Ctrl+O 打开。
用画笔涂抹要去除的水印或物体，然后按回车。</translation>
    </message>
    <message>
      <source>Batch</source>
      <translation>批量处理</translation>
    </message>
    <message>
      <source>Starting…</source>
      <translation>正在启动…</translation>
    </message>
    <message>
      <source>Text</source>
      <translation>文字</translation>
    </message>
    <message>
      <source>Opening {name}…</source>
      <translation>正在打开 {name}…</translation>
    </message>
    <message>
      <source>{count} file(s) added to the batch.</source>
      <translation>已将 {count} 个文件加入批量处理。</translation>
    </message>
    <message>
      <source>The clipboard holds no image.</source>
      <translation>剪贴板中没有图片。</translation>
    </message>
    <message>
      <source>Opened {name} ({width}×{height}).</source>
      <translation>已打开 {name}（{width}×{height}）。</translation>
    </message>
    <message>
      <source>Cannot open the image</source>
      <translation>无法打开图片</translation>
    </message>
    <message>
      <source>Removed from Open Recent, as they no longer exist: {names}</source>
      <translation>以下文件已不存在，已从“最近打开”中移除：{names}</translation>
    </message>
    <message>
      <source>(none)</source>
      <translation>（无）</translation>
    </message>
    <message>
      <source>Clear list</source>
      <translation>清空列表</translation>
    </message>
    <message>
      <source>Open an image first.</source>
      <translation>请先打开一张图片。</translation>
    </message>
    <message>
      <source>Paint over what should disappear first.</source>
      <translation>请先用画笔涂抹要去除的区域。</translation>
    </message>
    <message>
      <source>LaMa model found: now using LaMa.</source>
      <translation>已找到 LaMa 模型：现在使用 LaMa。</translation>
    </message>
    <message>
      <source>OpenCV · CPU</source>
      <translation>OpenCV · CPU</translation>
    </message>
    <message>
      <source>LaMa · {device}</source>
      <translation>LaMa · {device}</translation>
    </message>
    <message>
      <source>Ready: {engine}.</source>
      <translation>就绪：{engine}。</translation>
    </message>
    <message>
      <source>The LaMa model is not installed.</source>
      <translation>尚未安装 LaMa 模型。</translation>
    </message>
    <message>
      <source>LaMa was not loaded: {reason}</source>
      <translation>未能加载 LaMa：{reason}</translation>
    </message>
    <message>
      <source>No model loaded</source>
      <translation>未加载模型</translation>
    </message>
    <message>
      <source>The model could not be loaded</source>
      <translation>模型加载失败</translation>
    </message>
    <message>
      <source>Removing…</source>
      <translation>正在消除…</translation>
    </message>
    <message>
      <source>Processing the batch…</source>
      <translation>正在批量处理…</translation>
    </message>
    <message>
      <source>The image changed meanwhile; that result was dropped.</source>
      <translation>处理期间图片已被修改，本次结果已丢弃。</translation>
    </message>
    <message>
      <source>The removal failed</source>
      <translation>消除失败</translation>
    </message>
    <message>
      <source>The batch failed</source>
      <translation>批量处理失败</translation>
    </message>
    <message>
      <source>Removal cancelled.</source>
      <translation>已取消消除。</translation>
    </message>
    <message>
      <source>No mask</source>
      <translation>没有涂抹区域</translation>
    </message>
    <message>
      <source>Open one of the images (double-click it in the list) and paint the area to remove; that mask is then used for every file.</source>
      <translation>请先打开其中一张图片（在列表中双击），涂抹要去除的区域；这个蒙版会用于所有文件。</translation>
    </message>
    <message>
      <source>No file checked</source>
      <translation>没有勾选任何文件</translation>
    </message>
    <message>
      <source>Check the files to clean in the list (or press “Accept selected”); files where the watermark was not found need their mask painted first.</source>
      <translation>请在列表中勾选要处理的文件（或点击“接受所选”）；未找到水印的文件需要先涂抹蒙版。</translation>
    </message>
    <message>
      <source>Check the files to clean in the list; files where no text was found need their mask painted first (double-click one to open it).</source>
      <translation>请在列表中勾选要处理的文件；未找到文字的文件需要先涂抹蒙版（双击即可打开）。</translation>
    </message>
    <message>
      <source>Where should the cleaned files go?</source>
      <translation>处理后的文件保存到哪里？</translation>
    </message>
    <message>
      <source>Choose another folder</source>
      <translation>请选择其他文件夹</translation>
    </message>
    <message>
      <source>The output folder holds some of the originals; choose a different folder so nothing is overwritten.</source>
      <translation>输出文件夹中有原图，为避免覆盖，请选择其他文件夹。</translation>
    </message>
    <message>
      <source>The mask ({width}×{height}) is scaled to images of other sizes.</source>
      <translation>蒙版（{width}×{height}）会自动缩放到其他尺寸的图片。</translation>
    </message>
    <message>
      <source>Batch finished with failures</source>
      <translation>批量处理完成，但有文件失败</translation>
    </message>
    <message>
      <source>Using OpenCV. Download LaMa any time in Settings → Model.</source>
      <translation>正在使用 OpenCV。可随时在“设置 → 模型”中下载 LaMa。</translation>
    </message>
    <message>
      <source>LaMa installed; loading it…</source>
      <translation>LaMa 已安装，正在加载…</translation>
    </message>
    <message>
      <source>{size} px</source>
      <translation>{size} 像素</translation>
    </message>
    <message>
      <source>Cancelling…</source>
      <translation>正在取消…</translation>
    </message>
    <message>
      <source>Removed in {seconds:.1f} s with {engine}.</source>
      <translation>消除完成，用时 {seconds:.1f} 秒（{engine}）。</translation>
    </message>
    <message>
      <source>Untitled</source>
      <translation>未命名</translation>
    </message>
    <message>
      <source>Pasted image</source>
      <translation>粘贴的图片</translation>
    </message>
    <message>
      <source>Large mask</source>
      <translation>蒙版过大</translation>
    </message>
    <message>
      <source>The mask covers {percent}% of the image, so almost all of it will be repainted. Is the mask inverted? Remove anyway?</source>
      <translation>蒙版覆盖了图片的 {percent}%，几乎整张图片都会被重绘。蒙版是否反了？仍要消除吗？</translation>
    </message>
  </context>
  <context>
    <name>MaskEditor</name>
    <message>
      <source>Erase</source>
      <translation>擦除</translation>
    </message>
    <message>
      <source>Brush stroke</source>
      <translation>画笔涂抹</translation>
    </message>
    <message>
      <source>Rectangle</source>
      <translation>矩形选区</translation>
    </message>
    <message>
      <source>Clear mask</source>
      <translation>清除涂抹</translation>
    </message>
  </context>
  <context>
    <name>MaskImporter</name>
    <message>
      <source>Import mask</source>
      <translation>导入蒙版</translation>
    </message>
    <message>
      <source>Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff);;All files (*)</source>
      <translation>图片 (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff);;所有文件 (*)</translation>
    </message>
    <message>
      <source>Open an image first.</source>
      <translation>请先打开一张图片。</translation>
    </message>
    <message>
      <source>Mask imported from {name}: it covers {percent}% of the image.</source>
      <translation>已从 {name} 导入蒙版：覆盖图片的 {percent}%。</translation>
    </message>
    <message>
      <source>It was scaled from {width}×{height}.</source>
      <translation>已从 {width}×{height} 缩放。</translation>
    </message>
    <message>
      <source>Cannot import the mask</source>
      <translation>无法导入蒙版</translation>
    </message>
  </context>
  <context>
    <name>ModelDialogs</name>
    <message>
      <source>Import the LaMa model file</source>
      <translation>导入 LaMa 模型文件</translation>
    </message>
    <message>
      <source>TorchScript model (*.pt *.pth);;All files (*)</source>
      <translation>TorchScript 模型 (*.pt *.pth);;所有文件 (*)</translation>
    </message>
    <message>
      <source>It is an intact big-lama model archive with all of big-lama's weight tensors (lamadesk checked that first); only its checksum is not the published one.</source>
      <translation>这是一个完整的 big-lama 模型归档，包含 big-lama 的全部权重张量（lamadesk 已先行检查）；只是它的校验和与官方发布的不同。</translation>
    </message>
    <message>
      <source>Unknown model file</source>
      <translation>未知的模型文件</translation>
    </message>
    <message>
      <source>Use this file anyway?</source>
      <translation>仍要使用这个文件吗？</translation>
    </message>
    <message>
      <source>Address: {url}
The file goes to: {path}</source>
      <translation>下载地址：{url}
文件应放在：{path}</translation>
    </message>
    <message>
      <source>Model not installed</source>
      <translation>模型未安装</translation>
    </message>
  </context>
  <context>
    <name>ModelOfferBanner</name>
    <message>
      <source>Import model file…</source>
      <translation>导入模型文件…</translation>
    </message>
    <message>
      <source>Continue with OpenCV</source>
      <translation>继续使用 OpenCV</translation>
    </message>
    <message>
      <source>&lt;b&gt;The LaMa model is not installed.&lt;/b&gt; It fills removed areas with realistic texture and needs a one-time download of {size}. Until then lamadesk uses OpenCV, which is fine for thin text but smears larger areas.</source>
      <translation>&lt;b&gt;尚未安装 LaMa 模型。&lt;/b&gt;它能用逼真的纹理填补去除的区域，只需下载一次（{size}）。在此之前将使用 OpenCV：去除细小文字还可以，但大面积区域会显得模糊。</translation>
    </message>
    <message>
      <source>Resume download ({done} done)</source>
      <translation>继续下载（已下载 {done}）</translation>
    </message>
    <message>
      <source>Download LaMa</source>
      <translation>下载 LaMa</translation>
    </message>
  </context>
  <context>
    <name>ModelTab</name>
    <message>
      <source>Automatic (LaMa when installed)</source>
      <translation>自动（已安装时使用 LaMa）</translation>
    </message>
    <message>
      <source>LaMa</source>
      <translation>LaMa</translation>
    </message>
    <message>
      <source>OpenCV (no model needed)</source>
      <translation>OpenCV（无需模型）</translation>
    </message>
    <message>
      <source>Leave empty to download from {url}</source>
      <translation>留空则从以下地址下载：{url}</translation>
    </message>
    <message>
      <source>Enter an address starting with http:// or https://, or leave it empty.</source>
      <translation>请输入以 http:// 或 https:// 开头的地址，或留空。</translation>
    </message>
    <message>
      <source>Method:</source>
      <translation>算法：</translation>
    </message>
    <message>
      <source>LaMa model:</source>
      <translation>LaMa 模型：</translation>
    </message>
    <message>
      <source>File:</source>
      <translation>文件：</translation>
    </message>
    <message>
      <source>Size:</source>
      <translation>大小：</translation>
    </message>
    <message>
      <source>Download from (mirror URL):</source>
      <translation>下载来源（镜像地址）：</translation>
    </message>
    <message>
      <source>Download</source>
      <translation>下载</translation>
    </message>
    <message>
      <source>Import file…</source>
      <translation>导入文件…</translation>
    </message>
    <message>
      <source>Open folder</source>
      <translation>打开文件夹</translation>
    </message>
    <message>
      <source>not installed ({done} downloaded, resumable)</source>
      <translation>未安装（已下载 {done}，可继续下载）</translation>
    </message>
    <message>
      <source>not installed</source>
      <translation>未安装</translation>
    </message>
    <message>
      <source>Resume download</source>
      <translation>继续下载</translation>
    </message>
    <message>
      <source>installed and verified</source>
      <translation>已安装，校验通过</translation>
    </message>
    <message>
      <source>installed (checksum differs, used on your request)</source>
      <translation>已安装（校验值不符，按你的要求使用）</translation>
    </message>
    <message>
      <source>installed (not checked yet)</source>
      <translation>已安装（尚未校验）</translation>
    </message>
  </context>
  <context>
    <name>Notes</name>
    <message>
      <source>{format} has several frames: only the first is used</source>
      <translation>{format} 含有多帧：只使用第一帧</translation>
    </message>
    <message>
      <source>16-bit image: edited pixels are computed at 8 bits</source>
      <translation>16 位图像：编辑的像素按 8 位计算</translation>
    </message>
    <message>
      <source>CMYK shown and edited as sRGB through its ICC profile</source>
      <translation>CMYK 图像通过其 ICC 配置文件转为 sRGB 显示和编辑</translation>
    </message>
    <message>
      <source>CMYK converted to RGB without colour management: {problem}</source>
      <translation>CMYK 未经色彩管理直接转换为 RGB：{problem}</translation>
    </message>
    <message>
      <source>32-bit integer image scaled to 16 bits</source>
      <translation>32 位整数图像已缩放为 16 位</translation>
    </message>
    <message>
      <source>32-bit float image normalised to 8-bit greyscale</source>
      <translation>32 位浮点图像已归一化为 8 位灰度</translation>
    </message>
    <message>
      <source>1-bit image converted to 8-bit greyscale</source>
      <translation>1 位图像已转换为 8 位灰度</translation>
    </message>
    <message>
      <source>palette image converted to {mode}</source>
      <translation>调色板图像已转换为 {mode}</translation>
    </message>
    <message>
      <source>{mode} converted to RGB</source>
      <translation>{mode} 已转换为 RGB</translation>
    </message>
    <message>
      <source>EXIF orientation {orientation} applied</source>
      <translation>已应用 EXIF 方向 {orientation}</translation>
    </message>
    <message>
      <source>EXIF data is unreadable and was dropped</source>
      <translation>EXIF 数据无法读取，已丢弃</translation>
    </message>
    <message>
      <source>no ICC profile</source>
      <translation>没有 ICC 配置文件</translation>
    </message>
    <message>
      <source>its ICC profile is for {space} colours</source>
      <translation>其 ICC 配置文件用于 {space} 颜色</translation>
    </message>
    <message>
      <source>its ICC profile cannot be read</source>
      <translation>其 ICC 配置文件无法读取</translation>
    </message>
    <message>
      <source>{format} is not written back; saved as PNG</source>
      <translation>无法写回 {format} 格式；已保存为 PNG</translation>
    </message>
    <message>
      <source>BMP keeps no transparency reliably; saved as PNG</source>
      <translation>BMP 无法可靠保存透明度；已保存为 PNG</translation>
    </message>
    <message>
      <source>{format} has no transparency: transparent areas are put on white</source>
      <translation>{format} 不支持透明：透明区域已填充为白色</translation>
    </message>
    <message>
      <source>{format} holds 8 bits per channel: the 16-bit image is written at 8 bits</source>
      <translation>{format} 每个通道只有 8 位：16 位图像按 8 位写入</translation>
    </message>
    <message>
      <source>WebP has no greyscale mode: written as sRGB with an sRGB ICC profile</source>
      <translation>WebP 没有灰度模式：已写为带 sRGB ICC 配置文件的 sRGB</translation>
    </message>
    <message>
      <source>WebP has no greyscale mode: written as RGB</source>
      <translation>WebP 没有灰度模式：已写为 RGB</translation>
    </message>
    <message>
      <source>16-bit grey+alpha TIFF is written as RGBA without EXIF, ICC profile and DPI</source>
      <translation>16 位灰度+透明 TIFF 写为 RGBA，不含 EXIF、ICC 配置文件和 DPI</translation>
    </message>
    <message>
      <source>16-bit colour TIFF is written without EXIF, ICC profile and DPI</source>
      <translation>16 位彩色 TIFF 写入时不含 EXIF、ICC 配置文件和 DPI</translation>
    </message>
    <message>
      <source>edited pixels converted to CMYK through its ICC profile</source>
      <translation>编辑后的像素已通过其 ICC 配置文件转换为 CMYK</translation>
    </message>
    <message>
      <source>{format} holds no CMYK: written as sRGB with an sRGB ICC profile</source>
      <translation>{format} 不支持 CMYK：已写为带 sRGB ICC 配置文件的 sRGB</translation>
    </message>
    <message>
      <source>{space} ICC profile dropped: it does not describe the output colours</source>
      <translation>已丢弃 {space} ICC 配置文件：它与输出的颜色不符</translation>
    </message>
    <message>
      <source>named {name}: another input is written as the usual name</source>
      <translation>已命名为 {name}：另一个输入文件使用了通常的名称</translation>
    </message>
    <message>
      <source>mask of {mask_width}×{mask_height} scaled to the image's {width}×{height}</source>
      <translation>{mask_width}×{mask_height} 的蒙版已缩放到图片的 {width}×{height}</translation>
    </message>
    <message>
      <source>mask is empty: nothing to do</source>
      <translation>蒙版为空：无需处理</translation>
    </message>
    <message>
      <source>out of memory on {device}: retried in smaller crops</source>
      <translation>{device} 内存不足：已改用更小的分块重试</translation>
    </message>
    <message>
      <source>still out of memory on {device}: ran on the CPU instead</source>
      <translation>{device} 内存仍然不足：已改在 CPU 上运行</translation>
    </message>
    <message>
      <source>text: {count} region(s) found ({seconds:.1f} s)</source>
      <translation>文字：找到 {count} 处（{seconds:.1f} 秒）</translation>
    </message>
    <message>
      <source>no text found</source>
      <translation>未找到文字</translation>
    </message>
    <message>
      <source>mask drawn by hand: inpainted</source>
      <translation>手绘蒙版：已修补填充</translation>
    </message>
    <message>
      <source>undoing the blend did not fit this picture ({unexplained:.0f}% unexplained, outline match {leftover:.2f}): inpainted instead</source>
      <translation>还原混合不适合这张图片（{unexplained:.0f}% 无法解释，轮廓匹配度 {leftover:.2f}）：已改为修补填充</translation>
    </message>
    <message>
      <source>blend undone on {percent}% of the mark; the rest inpainted</source>
      <translation>已在水印的 {percent}% 上还原混合；其余部分已修补填充</translation>
    </message>
    <message>
      <source>blend undone on the whole mark</source>
      <translation>已在整个水印上还原混合</translation>
    </message>
    <message>
      <source>only {readable} pictures: below {reliable} the mark found may be wrong; draw a box around the mark on one picture to guide the search</source>
      <translation>只有 {readable} 张图片：少于 {reliable} 张时找到的水印可能有误；请在一张图片上框出水印以引导查找</translation>
    </message>
    <message>
      <source>file is truncated or corrupt ({detail})</source>
      <translation>文件被截断或已损坏</translation>
    </message>
    <message>
      <source>file is empty</source>
      <translation>文件为空</translation>
    </message>
    <message>
      <source>not an image format Pillow can read</source>
      <translation>不是可读取的图片格式</translation>
    </message>
    <message>
      <source>image is too large: {width}×{height} = {megapixels:.4g} MP, limit {limit:.4g} MP</source>
      <translation>图片过大：{width}×{height} = {megapixels:.4g} 百万像素，上限为 {limit:.4g} 百万像素</translation>
    </message>
    <message>
      <source>image is too large: limit {limit:.4g} MP</source>
      <translation>图片过大：上限为 {limit:.4g} 百万像素</translation>
    </message>
    <message>
      <source>file does not exist</source>
      <translation>文件不存在</translation>
    </message>
    <message>
      <source>it is a folder, not a file</source>
      <translation>这是文件夹，不是文件</translation>
    </message>
    <message>
      <source>the file exists; choose another name or allow overwriting</source>
      <translation>文件已存在；请换一个名称或允许覆盖</translation>
    </message>
    <message>
      <source>the disk is full (no space left on device)</source>
      <translation>磁盘已满（设备上没有剩余空间）</translation>
    </message>
    <message>
      <source>cannot encode as {format}: {detail}</source>
      <translation>无法编码为 {format}</translation>
    </message>
    <message>
      <source>permission denied</source>
      <translation>没有访问权限</translation>
    </message>
    <message>
      <source>{detail}</source>
      <translation>{detail}</translation>
    </message>
  </context>
  <context>
    <name>RemovalCommand</name>
    <message>
      <source>Remove</source>
      <translation>消除</translation>
    </message>
  </context>
  <context>
    <name>ReviewController</name>
    <message>
      <source>corrected by hand</source>
      <translation>已手动修正</translation>
    </message>
  </context>
  <context>
    <name>Saver</name>
    <message>
      <source>Save the cleaned image as</source>
      <translation>将处理后的图片另存为</translation>
    </message>
    <message>
      <source>Images (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp)</source>
      <translation>图片 (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp)</translation>
    </message>
    <message>
      <source>Cannot save</source>
      <translation>无法保存</translation>
    </message>
    <message>
      <source>{name} is the original; lamadesk never overwrites it. Choose another name.</source>
      <translation>{name} 是原图，lamadesk 不会覆盖原图。请换一个文件名。</translation>
    </message>
    <message>
      <source>Saving {name}…</source>
      <translation>正在保存 {name}…</translation>
    </message>
    <message>
      <source>Saved {path}. Note: {notes}</source>
      <translation>已保存到 {path}。注意：{notes}</translation>
    </message>
    <message>
      <source>Saved {path}</source>
      <translation>已保存到 {path}</translation>
    </message>
    <message>
      <source>Replace file?</source>
      <translation>替换文件？</translation>
    </message>
    <message>
      <source>{name} already exists. Replace it?</source>
      <translation>{name} 已存在，要替换吗？</translation>
    </message>
    <message>
      <source>Unsaved changes</source>
      <translation>未保存的修改</translation>
    </message>
    <message>
      <source>Your changes to this image are not saved. Save them first?</source>
      <translation>对这张图片的修改尚未保存，要先保存吗？</translation>
    </message>
  </context>
  <context>
    <name>SearchArea</name>
    <message>
      <source>Whole image</source>
      <translation>整张图片</translation>
    </message>
    <message>
      <source>Bottom band</source>
      <translation>底部横条</translation>
    </message>
    <message>
      <source>Bottom right corner</source>
      <translation>右下角</translation>
    </message>
    <message>
      <source>Bottom left corner</source>
      <translation>左下角</translation>
    </message>
    <message>
      <source>Top band</source>
      <translation>顶部横条</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <source>Device</source>
      <translation>设备</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>Options</source>
      <translation>选项</translation>
    </message>
    <message>
      <source>Automatic</source>
      <translation>自动</translation>
    </message>
    <message>
      <source>Whole image (best context, most memory)</source>
      <translation>整张图片（效果最好，占用内存最多）</translation>
    </message>
    <message>
      <source>Crop around the mask (fast on big photos)</source>
      <translation>只处理涂抹区域周围（大图更快）</translation>
    </message>
    <message>
      <source>Scale down (least memory, softer)</source>
      <translation>缩小后处理（最省内存，略模糊）</translation>
    </message>
    <message>
      <source> px</source>
      <translation> 像素</translation>
    </message>
    <message>
      <source>Processing</source>
      <translation>处理</translation>
    </message>
    <message>
      <source>Strategy:</source>
      <translation>处理方式：</translation>
    </message>
    <message>
      <source>Grow mask by:</source>
      <translation>蒙版外扩：</translation>
    </message>
    <message>
      <source>Same as the original</source>
      <translation>与原图相同</translation>
    </message>
    <message>
      <source>Beside the original</source>
      <translation>与原图放在同一文件夹</translation>
    </message>
    <message>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <source>Output</source>
      <translation>输出</translation>
    </message>
    <message>
      <source>Format:</source>
      <translation>格式：</translation>
    </message>
    <message>
      <source>Folder:</source>
      <translation>文件夹：</translation>
    </message>
    <message>
      <source>Language</source>
      <translation>语言</translation>
    </message>
    <message>
      <source>Language:</source>
      <translation>界面语言：</translation>
    </message>
    <message>
      <source>Compile the model in the background for more speed (NVIDIA GPUs)</source>
      <translation>在后台编译模型以提高速度（NVIDIA 显卡）</translation>
    </message>
    <message>
      <source>On an NVIDIA GPU, a compiled model removes faster. Each new image size takes about a minute to compile the first time (seconds once cached); meanwhile removals run as before, so you never wait for it.</source>
      <translation>在 NVIDIA 显卡上，编译后的模型消除得更快。每种新的图片尺寸第一次编译约需一分钟（有缓存时只需几秒）；编译期间照常消除，无需等待。</translation>
    </message>
    <message>
      <source>Speed</source>
      <translation>速度</translation>
    </message>
    <message>
      <source>Output folder</source>
      <translation>输出文件夹</translation>
    </message>
  </context>
  <context>
    <name>SharedMarkBox</name>
    <message>
      <source>Shared watermark</source>
      <translation>共同水印</translation>
    </message>
    <message>
      <source>Find shared watermark</source>
      <translation>查找共同水印</translation>
    </message>
    <message>
      <source>Find the watermark the images share, and where it sits in each. To guide the search, open one of the images and draw a box around the mark with the rectangle tool first.</source>
      <translation>查找这些图片共有的水印及其在每张图片中的位置。如需引导查找，请先打开其中一张图片，用矩形工具框住水印。</translation>
    </message>
    <message>
      <source>Undo the blend (de-blend)</source>
      <translation>还原混合（去混合）</translation>
    </message>
    <message>
      <source>Recover the photo under a see-through watermark exactly, and paint only where the mark is opaque. Off: paint over the whole mark.</source>
      <translation>精确还原半透明水印下的原始画面，只在水印不透明处进行填补。关闭时：填补整个水印区域。</translation>
    </message>
    <message>
      <source>Accept selected</source>
      <translation>接受所选</translation>
    </message>
    <message>
      <source>Reject selected</source>
      <translation>拒绝所选</translation>
    </message>
    <message>
      <source>Use one mask instead</source>
      <translation>改用同一蒙版</translation>
    </message>
    <message>
      <source>Forget the watermark found and apply the mask you paint to every file.</source>
      <translation>放弃找到的水印，把你涂抹的蒙版应用到每个文件。</translation>
    </message>
  </context>
  <context>
    <name>SharedMarkController</name>
    <message>
      <source>Looking for a watermark the {count} images share…</source>
      <translation>正在查找这 {count} 张图片共有的水印…</translation>
    </message>
    <message>
      <source>Measuring the watermark's opacity and colour to undo its blend…</source>
      <translation>正在测量水印的透明度和颜色，以便还原混合…</translation>
    </message>
    <message>
      <source>Watermark found in {found} of {total} images. Double-click an image to check its mask; uncheck images to leave them out.</source>
      <translation>在 {total} 张图片中的 {found} 张找到了水印。双击图片可检查其蒙版；取消勾选即可跳过该图片。</translation>
    </message>
    <message>
      <source>Only {count} images could be read: the mark found may be wrong. Check each image, or draw a box around the mark on one image with the rectangle tool and search again.</source>
      <translation>只有 {count} 张图片可以读取：找到的水印可能不准确。请逐张检查，或在其中一张图片上用矩形工具框住水印后重新查找。</translation>
    </message>
    <message>
      <source>Detected watermark</source>
      <translation>检测到的水印</translation>
    </message>
    <message>
      <source>Cannot undo the watermark's blend</source>
      <translation>无法还原水印的混合</translation>
    </message>
    <message>
      <source>No shared watermark found</source>
      <translation>未找到共同水印</translation>
    </message>
    <message>
      <source>Search cancelled; nothing was changed.</source>
      <translation>已取消查找，未做任何更改。</translation>
    </message>
    <message>
      <source>Found · match {percent}%</source>
      <translation>已找到 · 匹配度 {percent}%</translation>
    </message>
    <message>
      <source>Not found · match {percent}%</source>
      <translation>未找到 · 匹配度 {percent}%</translation>
    </message>
    <message>
      <source>Unreadable: {reason}</source>
      <translation>无法读取：{reason}</translation>
    </message>
    <message>
      <source>Added after the search: search again to include it</source>
      <translation>查找后才添加：重新查找即可包含此文件</translation>
    </message>
    <message>
      <source>The watermark found in {name} is masked. Brush or erase to correct it.</source>
      <translation>{name} 中找到的水印已加上蒙版。可用画笔或橡皮擦修正。</translation>
    </message>
    <message>
      <source>The watermark was not found in {name}. Paint over it to clean this image too.</source>
      <translation>在 {name} 中未找到水印。涂抹水印即可一并处理这张图片。</translation>
    </message>
  </context>
  <context>
    <name>ShortcutsDialog</name>
    <message>
      <source>Keyboard Shortcuts</source>
      <translation>键盘快捷键</translation>
    </message>
    <message>
      <source>Command</source>
      <translation>命令</translation>
    </message>
    <message>
      <source>Keys</source>
      <translation>按键</translation>
    </message>
    <message>
      <source>Canvas</source>
      <translation>画布</translation>
    </message>
    <message>
      <source>Show the original while the key is held</source>
      <translation>按住时查看原图</translation>
    </message>
    <message>
      <source>Pan</source>
      <translation>平移</translation>
    </message>
    <message>
      <source>Space + drag, or middle-button drag</source>
      <translation>空格 + 拖动，或按住鼠标中键拖动</translation>
    </message>
    <message>
      <source>Zoom around the cursor</source>
      <translation>以光标为中心缩放</translation>
    </message>
    <message>
      <source>Mouse wheel</source>
      <translation>鼠标滚轮</translation>
    </message>
  </context>
  <context>
    <name>TextBatchBox</name>
    <message>
      <source>Text</source>
      <translation>文字</translation>
    </message>
    <message>
      <source>Look in:</source>
      <translation>查找范围：</translation>
    </message>
    <message>
      <source>Find text in all</source>
      <translation>在全部文件中查找文字</translation>
    </message>
    <message>
      <source>Find date stamps and captions in every file, with the sensitivity set in the Text panel. Then check each file's mask by double-clicking it.</source>
      <translation>按“文字”面板中设置的灵敏度，在每个文件中查找日期戳和说明文字。之后双击文件即可检查其蒙版。</translation>
    </message>
    <message>
      <source>Use one mask instead</source>
      <translation>改用同一蒙版</translation>
    </message>
    <message>
      <source>Forget the text found and apply the mask you paint to every file.</source>
      <translation>放弃找到的文字，把你涂抹的蒙版应用到每个文件。</translation>
    </message>
  </context>
  <context>
    <name>TextBatchController</name>
    <message>
      <source>Looking for text in {count} files…</source>
      <translation>正在 {count} 个文件中查找文字…</translation>
    </message>
    <message>
      <source>Cancelling…</source>
      <translation>正在取消…</translation>
    </message>
    <message>
      <source>Text found in {found} of {searched} files.</source>
      <translation>在已查找的 {searched} 个文件中，有 {found} 个找到了文字。</translation>
    </message>
    <message>
      <source>Search cancelled after {searched} of {total} files.</source>
      <translation>已在查找完 {total} 个文件中的 {searched} 个后取消。</translation>
    </message>
    <message>
      <source>Double-click a file to check its mask; uncheck files to leave them out.</source>
      <translation>双击文件可检查其蒙版；取消勾选即可跳过这些文件。</translation>
    </message>
    <message>
      <source>Find text</source>
      <translation>查找文字</translation>
    </message>
    <message>
      <source>Cannot look for text</source>
      <translation>无法查找文字</translation>
    </message>
    <message>
      <source>Text: {count} line(s)</source>
      <translation>文字：{count} 行</translation>
    </message>
    <message>
      <source>No text found</source>
      <translation>未找到文字</translation>
    </message>
    <message>
      <source>Unreadable: {reason}</source>
      <translation>无法读取：{reason}</translation>
    </message>
    <message>
      <source>Waiting</source>
      <translation>等待中</translation>
    </message>
    <message>
      <source>Not searched</source>
      <translation>未查找</translation>
    </message>
    <message>
      <source>The text found in {name} is masked. Brush or erase to correct it.</source>
      <translation>{name} 中找到的文字已加上蒙版。可用画笔或橡皮擦修正。</translation>
    </message>
    <message>
      <source>No text was found in {name}. Paint over it to clean this image too.</source>
      <translation>在 {name} 中未找到文字。涂抹文字即可一并处理这张图片。</translation>
    </message>
  </context>
  <context>
    <name>TextPanel</name>
    <message>
      <source>Finds date stamps, captions and other writing, and masks their letters. Uncheck a line to leave it in the photo; press Remove to clean the rest.</source>
      <translation>查找日期戳、说明文字等字迹，并给其笔画加上蒙版。取消勾选某一行即可保留它；按“消除”清除其余文字。</translation>
    </message>
    <message>
      <source>Look in:</source>
      <translation>查找范围：</translation>
    </message>
    <message>
      <source>Inside the rectangle drawn</source>
      <translation>所画矩形之内</translation>
    </message>
    <message>
      <source>Where to look. For “Inside the rectangle drawn”, draw a rectangle around the text with the rectangle tool (R) first: the text found in it replaces it.</source>
      <translation>在哪里查找。选择“所画矩形之内”时，请先用矩形工具（R）框住文字：矩形会被其中找到的文字笔画取代。</translation>
    </message>
    <message>
      <source>Sensitivity:</source>
      <translation>灵敏度：</translation>
    </message>
    <message>
      <source>Fewer</source>
      <translation>较少</translation>
    </message>
    <message>
      <source>More</source>
      <translation>较多</translation>
    </message>
    <message>
      <source>Higher finds fainter text, and more things that are not text.</source>
      <translation>越高越能找到较淡的文字，但也会把更多非文字的东西当成文字。</translation>
    </message>
    <message>
      <source>Keep all</source>
      <translation>全部保留</translation>
    </message>
    <message>
      <source>Drop all</source>
      <translation>全部舍弃</translation>
    </message>
    <message>
      <source>Line {number} · sure {score}%</source>
      <translation>第 {number} 行 · 把握 {score}%</translation>
    </message>
  </context>
  <context>
    <name>TransferRow</name>
    <message>
      <source>Cancel (resume later)</source>
      <translation>取消（稍后可继续）</translation>
    </message>
    <message>
      <source>{done} of {total}</source>
      <translation>{done} / {total}</translation>
    </message>
    <message>
      <source>{speed}/s</source>
      <translation>{speed}/秒</translation>
    </message>
    <message>
      <source>{seconds} s left</source>
      <translation>剩余 {seconds} 秒</translation>
    </message>
  </context>
  <context>
    <name>errors</name>
    <message>
      <source>{path} already exists and was not replaced.</source>
      <translation>{path} 已存在，未被替换。</translation>
    </message>
    <message>
      <source>Cannot open {path}: {reason}.</source>
      <translation>无法打开 {path}：{reason}。</translation>
    </message>
    <message>
      <source>Cannot save {path}: {reason}. Nothing was overwritten.</source>
      <translation>无法保存 {path}：{reason}。没有覆盖任何文件。</translation>
    </message>
    <message>
      <source>Cannot reach the download server ({url}). Download the file on another computer and choose “Import model file…”.</source>
      <translation>无法连接下载服务器（{url}）。请在其他电脑上下载该文件，然后选择“导入模型文件…”。</translation>
    </message>
    <message>
      <source>The download failed: {reason}. It resumes where it stopped next time.</source>
      <translation>下载失败：{reason}。下次会从中断处继续。</translation>
    </message>
    <message>
      <source>{path} is not the expected model file (checksum {actual}, expected {expected}).</source>
      <translation>{path} 不是所需的模型文件（校验值 {actual}，应为 {expected}）。</translation>
    </message>
    <message>
      <source>The model file {path} is incomplete ({actual} instead of {expected}). Download or import it again.</source>
      <translation>模型文件 {path} 不完整（{actual}，应为 {expected}）。请重新下载或导入。</translation>
    </message>
    <message>
      <source>The LaMa model is not installed (expected at {path}).</source>
      <translation>尚未安装 LaMa 模型（应位于 {path}）。</translation>
    </message>
    <message>
      <source>The model file {path} is damaged or not a model file ({reason}). Download the model again, or import a good copy with “Import model file…”.</source>
      <translation>模型文件 {path} 已损坏或不是模型文件（{reason}）。请重新下载模型，或通过“导入模型文件…”导入一份完好的副本。</translation>
    </message>
    <message>
      <source>{path} cannot be used as the LaMa model: {reason}. Import the big-lama.pt file, or download the model.</source>
      <translation>{path} 不能用作 LaMa 模型：{reason}。请导入 big-lama.pt 文件，或下载模型。</translation>
    </message>
    <message>
      <source>The model {path} cannot be loaded: {reason}.</source>
      <translation>无法加载模型 {path}：{reason}。</translation>
    </message>
    <message>
      <source>Cannot import {path}: {reason}.</source>
      <translation>无法导入 {path}：{reason}。</translation>
    </message>
    <message>
      <source>Not enough free space in {folder}: {needed} needed, {available} free.</source>
      <translation>{folder} 空间不足：需要 {needed}，可用 {available}。</translation>
    </message>
    <message>
      <source>Out of memory on {device}. Try the “Crop” strategy or a smaller mask, or choose the CPU in Settings.</source>
      <translation>{device} 内存不足。请尝试“只处理涂抹区域周围”的处理方式、缩小涂抹范围，或在设置中改用 CPU。</translation>
    </message>
    <message>
      <source>The device {device} cannot be used: {reason}.</source>
      <translation>无法使用设备 {device}：{reason}。</translation>
    </message>
    <message>
      <source>The text detector's model file is missing or damaged ({path}). Reinstall lamadesk to get it back; painting and removing work without it.</source>
      <translation>文字检测模型文件缺失或已损坏（{path}）。请重新安装 lamadesk 以恢复；不用它也可以涂抹和消除。</translation>
    </message>
    <message>
      <source>The mask covers the whole image, so nothing is left to fill it from. Leave part of the picture unpainted.</source>
      <translation>蒙版覆盖了整张图片，没有可用于填补的内容。请留出部分画面不涂抹。</translation>
    </message>
    <message>
      <source>The mask cannot be used: {reason}.</source>
      <translation>蒙版无法使用：{reason}。</translation>
    </message>
    <message>
      <source>Finding a shared watermark needs at least {needed} images that can be read; only {usable} could. Add more images of the same series to the batch.</source>
      <translation>查找共同水印至少需要 {needed} 张可读取的图片，目前只有 {usable} 张。请向批量列表添加更多同一系列的图片。</translation>
    </message>
    <message>
      <source>The shared watermark was not found in this picture (match {confidence:.2f}).</source>
      <translation>这张图片中未找到共同水印（匹配度 {confidence:.2f}）。</translation>
    </message>
    <message>
      <source>No watermark shared by the {count} images stands out. Open one of them, draw a box around the watermark with the rectangle tool (R), then press “Find shared watermark” again.</source>
      <translation>在这 {count} 张图片中没有找到明显的共同水印。请打开其中一张，用矩形工具（R）框住水印，然后再次点击“查找共同水印”。</translation>
    </message>
    <message>
      <source>Not enough memory for this image. Close other programs or use a smaller one.</source>
      <translation>内存不足，无法处理这张图片。请关闭其他程序或换一张较小的图片。</translation>
    </message>
    <message>
      <source>Unexpected error: {error}</source>
      <translation>意外错误：{error}</translation>
    </message>
    <message>
      <source>(no log file)</source>
      <translation>（无日志文件）</translation>
    </message>
    <message>
      <source>Something went wrong: {error}

The details are in the log: {log}
Please attach it when you report the problem.</source>
      <translation>出错了：{error}

详细信息见日志：{log}
反馈问题时请附上该日志。</translation>
    </message>
    <message>
      <source>lamadesk error</source>
      <translation>lamadesk 错误</translation>
    </message>
  </context>
  <context>
    <name>file_ops</name>
    <message>
      <source>pasted image</source>
      <translation>粘贴的图片</translation>
    </message>
  </context>
  <context>
    <name>left_out</name>
    <message>
      <source>Left out {count} file(s) that lamadesk wrote itself ({names}); add such a file by itself to clean it again.</source>
      <translation>已略过 {count} 个由 lamadesk 自己写出的文件（{names}）；如需再次清理，请单独添加该文件。</translation>
    </message>
  </context>
</TS>